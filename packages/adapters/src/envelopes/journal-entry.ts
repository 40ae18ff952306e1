/** A journal entry read from verbose or export output, as the JSON object `journalctl -o json` writes for it. */
export function journalObject(fields: readonly [string, string][], time: string | undefined): Record<string, string> {
  const o: Record<string, string> = {};
  if (time) o['__REALTIME_TIMESTAMP'] = time;
  for (const [k, val] of fields) if (!(k in o) && k !== '__proto__') o[k] = val;
  return o;
}
