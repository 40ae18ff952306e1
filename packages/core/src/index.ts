export { ScsDoctorError, isScsDoctorError, formatPlace, formatProblem, type ErrorCode, type Place, type Problem } from './errors.js';
export { parseTime, normalizeTime, toIso, parseDuration, formatDuration, isRealDateTime, utcMillis } from './time.js';
export {
  LEVELS,
  LEVEL_NUMBER,
  LevelSchema,
  LogRecordSchema,
  SyncEventSchema,
  SyncFileSchema,
  SYNC_EVENT_KEYS,
  SYNC_FILE_KEYS,
  syncStatusOf,
  sideOf,
  fileOutcomeOf,
  ProbeRecordSchema,
  SideSchema,
  type Level,
  type LogRecord,
  type LogFormat,
  type Envelope,
  type Side,
  type Source,
  type SyncEvent,
  type SyncFile,
  type SyncEventRecord,
  type ProbeRecord,
  type ExceptionLink,
  ExceptionLinkSchema,
} from './schema/records.js';
export { RuleSchema, ConditionSchema, OPERATORS, RECORD_KINDS, TEXTLESS_KINDS, type Rule, type RuleInput, type LoadedRule, type RecordKind, type ConditionNode } from './schema/rule.js';
export {
  ReportSchema,
  DiagnosisSchema,
  EvidenceSchema,
  StatsSchema,
  SCHEMA_VERSION,
  type Report,
  type Diagnosis,
  type Evidence,
  type Stats,
  type InputStats,
  type Unmatched,
  type UnmatchedRest,
  type ParamValue,
  type Connection,
  type ConnectionState,
  type Attempt,
  type Peer,
  ConnectionSchema,
} from './schema/report.js';
export { parseRuleText, type ParseResult } from './rules/parse.js';
export { compileRules, ATTENTION_TOKENS, type RulePack, type CompiledRule, type RuleMatch, type CompileOptions } from './rules/compile.js';
export { compileConditions, type Facts, type Predicate } from './rules/conditions.js';
export { literalScanner, type LiteralScanner } from './rules/literals.js';
export { unsafeRegexReason } from './rules/safety.js';
export { ruleJsonSchema } from './rules/json-schema.js';
export { DiagnosisSession, DEFAULT_STALE_AFTER_MS, type SessionOptions, type RecordSink } from './engine/session.js';
export { OUTCOME_TOKENS } from './engine/outcomes.js';
export { diagnose, connectionStatus, type DiagnoseInput, type ConnectionStatus } from './engine/diagnose.js';
export { mergeReports, parseReport } from './engine/merge.js';
export { hideIds } from './engine/hide.js';
export { createRedactor, redactDeep, DEFAULT_PATTERNS, type Redactor, type RedactionPattern } from './redact.js';
export { visible, visibleLine, codeSpan, markdownText } from './escape.js';
export { renderJsonPieces } from './render/index.js';
export { render, renderJson, renderText, renderMarkdown, renderHtml, FORMATS, type OutputFormat, type TextOptions } from './render/index.js';
export { runFixture, type FixtureReader, type FixtureResult, type FixtureCase, type FixtureRecords } from './harness.js';
