import { createHash } from 'node:crypto';

/** The hash of a JSON Schema's shape: descriptions and titles left out, so rewording is not a change of shape. */
export function shapeHash(schema: unknown): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'description' && k !== 'title' && k !== '$id') out[k] = strip(x);
      return out;
    }
    return v;
  };
  return createHash('sha256')
    .update(JSON.stringify(strip(schema)))
    .digest('hex');
}
