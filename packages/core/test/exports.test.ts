import { describe, expect, it } from 'vitest';
import * as publicApi from '../src/index.js';
import * as internal from '../src/internal.js';

// The public entry point names exactly these values (types are checked by the packed-tarball test);
// an addition here is a deliberate change of the public API, documented in the CHANGELOG.
const PUBLIC_VALUES = [
  'DEFAULT_PATTERNS',
  'DEFAULT_STALE_AFTER_MS',
  'DiagnosisSession',
  'FORMATS',
  'LogRecordSchema',
  'ReportSchema',
  'RuleSchema',
  'SCHEMA_VERSION',
  'ScsDoctorError',
  'SyncEventSchema',
  'TRACE_FORMATS',
  'compileRules',
  'connectionStatus',
  'createRedactor',
  'diagnose',
  'formatProblem',
  'hideIds',
  'isScsDoctorError',
  'mergeReports',
  'parseReport',
  'render',
  'renderJsonPieces',
  'renderTrace',
  'reportJsonSchema',
  'ruleJsonSchema',
  'trace',
];

describe('core entry points', () => {
  it('@scs-doctor/core exports the public values and nothing else', () => {
    expect(Object.keys(publicApi).sort()).toEqual(PUBLIC_VALUES);
  });

  it('adapter helpers are internal only', () => {
    const names = ['utcMillis', 'literalScanner', 'SYNC_EVENT_KEYS', 'ATTENTION_TOKENS'];
    expect([names.map((n) => n in publicApi), names.map((n) => n in internal)]).toEqual([
      [false, false, false, false],
      [true, true, true, true],
    ]);
  });

  it('the internal entry point carries every public value too', () => {
    expect(PUBLIC_VALUES.filter((n) => !(n in internal))).toEqual([]);
  });
});
