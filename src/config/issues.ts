/**
 * Turns zod issues into one line each, `path: what is wrong, got what`, and suggests the key a
 * typo probably meant.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
export type Path = readonly PropertyKey[];

/** `['stages', 2, 'ppo', 'batch_size']` -> `stages[2].ppo.batch_size`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

/** A short rendering of a received value: `string "abc"`, `-1`, `a list`, `null`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

const EXPECTED: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** A flat issue ready to print; `key` is set for unknown keys (the path is the parent). */
export interface FlatIssue {
  path: PropertyKey[];
  message: string;
  missing?: boolean;
  unknownKey?: string;
}

/** Flattens zod issues (unions resolved to the branch that fits the value's type). */
export function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown key', unknownKey: key });
        break;
      case 'invalid_union': {
        const fitting = issue.errors.filter((errs) => !errs.every((e) => e.code === 'invalid_type' && e.path.length === 0));
        if (fitting.length > 0) out.push(...flattenIssues(fitting[0], path));
        else {
          const names = issue.errors.flatMap((errs) => errs.map((e) => (e.code === 'invalid_type' ? EXPECTED[e.expected] ?? e.expected : '')));
          out.push({ path, message: `expected ${[...new Set(names.filter(Boolean))].join(' or ')}, got ${describeValue(input)}` });
        }
        break;
      }
      case 'invalid_type':
        if (input === undefined) out.push({ path, message: 'required', missing: true });
        else out.push({ path, message: `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}` });
        break;
      case 'too_small': {
        const m = Number(issue.minimum);
        if (issue.origin === 'array') out.push({ path, message: `needs at least ${m} item${m === 1 ? '' : 's'}` });
        else if (issue.origin === 'string') out.push({ path, message: 'must not be empty' });
        else if (m === 0 && !issue.inclusive) out.push({ path, message: `must be positive, got ${describeValue(input)}` });
        else out.push({ path, message: `must be ${issue.inclusive ? '>=' : '>'} ${m}, got ${describeValue(input)}` });
        break;
      }
      case 'too_big':
        out.push({ path, message: `must be ${issue.inclusive ? '<=' : '<'} ${Number(issue.maximum)}, got ${describeValue(input)}` });
        break;
      case 'invalid_value':
        out.push({ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(input)}` });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** The keys a strict mapping of `schema` accepts at `path` (for "did you mean"). */
export function knownKeysAt(schema: unknown, path: Path): string[] {
  let s = unwrap(schema);
  for (const key of path) {
    s = objectOf(s);
    const def = defOf(s);
    if (def?.type === 'object' && typeof key === 'string') s = unwrap(def.shape[key]);
    else if (def?.type === 'array') s = unwrap(def.element);
    else return [];
  }
  const def = defOf(objectOf(s));
  return def?.type === 'object' ? Object.keys(def.shape) : [];
}

interface Def {
  type: string;
  innerType?: unknown;
  in?: unknown;
  shape?: unknown;
  element?: unknown;
  options?: unknown[];
}

function defOf(s: unknown): (Def & { shape: Record<string, unknown> }) | undefined {
  return (s as { _zod?: { def?: Def & { shape: Record<string, unknown> } } } | undefined)?._zod?.def;
}

function unwrap(s: unknown): unknown {
  for (;;) {
    const def = defOf(s);
    if (!def) return s;
    if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else return s;
  }
}

/** For a union, its first mapping branch; otherwise the schema itself. */
function objectOf(s: unknown): unknown {
  const def = defOf(s);
  if (def?.type !== 'union') return s;
  return def.options?.map(unwrap).find((o) => defOf(o)?.type === 'object') ?? s;
}

/** The closest known key to a typo, if close enough (Levenshtein distance). */
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = levenshtein(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
