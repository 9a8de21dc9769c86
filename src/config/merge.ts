/** Plain (YAML mapping) objects: not arrays, not null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `base` with `over` merged in: mappings merge key by key (recursively), anything else
 * (numbers, strings, lists, null) in `over` replaces what `base` has. Neither input changes.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** True when `obj` has a value (even null) at `path`. */
export function hasPath(obj: unknown, path: readonly PropertyKey[]): boolean {
  let cur: unknown = obj;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') {
      if (key >= cur.length) return false;
      cur = cur[key];
    } else if (isPlainObject(cur) && typeof key === 'string' && Object.hasOwn(cur, key)) {
      cur = cur[key];
    } else return false;
  }
  return true;
}

/** The value at `path`, or undefined. */
export function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') cur = cur[key];
    else if (isPlainObject(cur) && typeof key === 'string') cur = cur[key];
    else return undefined;
  }
  return cur;
}
