/**
 * Snapshot files as text: indented JSON in which every small leaf object (a machine, a task,
 * a break) stays on one line. Files stay readable and diffable and are about a third of the
 * size of fully indented JSON; any JSON parser reads them. Deterministic: same value, same bytes.
 */

const INLINE_WIDTH = 120;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasNestedContainers(v: unknown): boolean {
  const children = Array.isArray(v) ? v : isPlainObject(v) ? Object.values(v) : [];
  return children.some((c) => (Array.isArray(c) && c.some((x) => typeof x === 'object' && x !== null)) || isPlainObject(c));
}

function format(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (typeof value !== 'object' || value === null) return flat;
  // leaves (objects whose fields are primitives or arrays of primitives) and short values stay inline
  if (flat.length <= INLINE_WIDTH && (!hasNestedContainers(value) || flat.length <= 60)) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (!value.some((x) => typeof x === 'object' && x !== null)) return flat;
    return `[\n${value.map((x) => inner + format(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** The text of a snapshot file (ends with a newline). */
export function serializeSnapshot(file: unknown): string {
  return format(file, '') + '\n';
}
