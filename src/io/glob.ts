import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** Natural order: day2 before day10, 2026-11-30 after 2026-11-29. */
export const naturalCompare = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** True if `pattern` has a wildcard (`*`, `?` or `[...]`). */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * The files a glob matches, relative to `cwd` unless the pattern is absolute, in natural order.
 * Wildcards `*` (any characters but `/`), `?` (one character) and `[abc]` work in every path
 * segment; `**` is not supported (it matches like `*`). Names starting with `.` match only a
 * pattern segment that starts with `.`. A pattern without wildcards is returned if it is a file.
 */
export function globFiles(pattern: string, cwd: string): string[] {
  const abs = isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s, i) => s !== '' || i === 0);
  let dirs: string[] = [abs ? sep : ''];
  if (abs) segments.shift();
  const out: string[] = [];
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const d of dirs) {
      const names = hasWildcard(seg) ? list(resolve(cwd, d || '.')).filter((n) => segmentRegex(seg).test(n)) : [seg];
      for (const n of names) {
        const p = d ? join(d, n) : n;
        const kind = kindOf(resolve(cwd, p));
        if (last ? kind === 'file' : kind === 'dir') next.push(p);
      }
    }
    if (last) out.push(...next);
    dirs = next;
  });
  return out.sort(naturalCompare);
}

function segmentRegex(seg: string): RegExp {
  let re = seg.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') {
      while (seg[i + 1] === '*') i++;
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function kindOf(p: string): 'file' | 'dir' | null {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : null;
  } catch {
    return null;
  }
}
