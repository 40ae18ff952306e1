/**
 * `journalctl -o json` (and json-seq, json-sse, verbose and export, read as the JSON they stand
 * for): MESSAGE is a raw line of a service's output, one stream per process (`_PID`). An entry a
 * program sent itself (`_TRANSPORT=journal`, python-systemd's JournalHandler) is a whole record,
 * read as JSON.
 */
import { carrierField, jsonStringEnd, stringValueAt } from './json-text.js';
import { AS_IS, TAKEN, type Envelope } from './types.js';

export const journaldJson: Envelope = {
  name: 'journald-json',
  stage: 'carrier',
  formats: [],
  first: [123],
  tag: undefined,
  detect: () => true,
  unwrap(s, out) {
    const v = carrierField(s, 'MESSAGE', out);
    if (v !== TAKEN) return v;
    const transport = stringValueAt(s, '_TRANSPORT');
    if (transport >= 0 && s.startsWith('journal"', transport)) return AS_IS;
    const pid = stringValueAt(s, '_PID');
    if (pid >= 0) out.lane += `:${s.slice(pid, jsonStringEnd(s, pid))}`;
    return TAKEN;
  },
};
