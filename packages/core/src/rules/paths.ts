/** The JSONPath subset whose reading is a plain walk over own properties (shared by both condition paths). */

/**
 * The path steps whose meaning in jsonpath-plus (json-rules-engine's resolver) is a plain property
 * read: names of letters, digits and `_`; canonical indices; quoted names of letters, digits,
 * `_`, `-` and spaces. Other characters can turn a step into an operator there (`$`, `*`, `..`,
 * `~`, `^`, `,`, `:`, `@`, `(`), `[01]` reads nothing, and `["a"]` is not parsed as a name.
 */
const PATH_TOKEN = /\.([A-Z_]\w*)|\[(0|[1-9]\d{0,8})\]|\['([\w -]+)'\]/iy;

/** Parses a simple JSONPath into keys, or returns an error message. */
export function parsePath(path: string): (string | number)[] | string {
  if (!path.startsWith('$')) return `path "${path}" must start with $`;
  const keys: (string | number)[] = [];
  PATH_TOKEN.lastIndex = 1;
  let pos = 1;
  while (pos < path.length) {
    PATH_TOKEN.lastIndex = pos;
    const m = PATH_TOKEN.exec(path);
    if (!m) return `path "${path}" uses syntax beyond $.a.b, $.a[0] and $['a-b'] (names of letters, digits, _, - and spaces)`;
    const key = m[1] ?? m[3];
    keys.push(key !== undefined ? key : Number(m[2]));
    pos = PATH_TOKEN.lastIndex;
  }
  if (keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype')) return `path "${path}" names a forbidden key`;
  return keys;
}

/** One path step as jsonpath-plus takes it: an own property of any truthy value (so `length` and indices of a string too). */
export function own(obj: unknown, key: string | number): unknown {
  if (!obj) return undefined;
  return Object.hasOwn(obj, key) ? (obj as Record<string | number, unknown>)[key] : undefined;
}

/** Walks parsed keys from a value (an object: json-rules-engine resolves paths only into objects). */
export function walkPath(value: unknown, keys: readonly (string | number)[]): unknown {
  let v: unknown = value;
  for (const k of keys) {
    v = own(v, k);
    if (v === undefined) return undefined;
  }
  return v;
}
