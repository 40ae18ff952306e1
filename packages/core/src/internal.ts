/**
 * Everything the sibling packages (@scs-doctor/adapters, @scs-doctor/cli, @scs-doctor/probes)
 * share with core, as `@scs-doctor/core/internal`. No compatibility promise: host apps use
 * `@scs-doctor/core`.
 */
export { ScsDoctorError, isScsDoctorError, formatPlace, formatProblem, type ErrorCode, type Place, type Problem } from './errors.js';
export { parseTime, normalizeTime, toIso, nowOption, parseDuration, formatDuration, isRealDateTime, utcMillis } from './time.js';
// The words need no schema: from their own module, so that a reader of logs does not load zod.
export { LEVELS, LEVEL_NUMBER, SYNC_EVENT_KEYS, SYNC_FILE_KEYS, syncStatusOf, sideOf, fileOutcomeOf } from './schema/words.js';
export {
  LevelSchema,
  LogRecordSchema,
  SyncEventSchema,
  SyncFileSchema,
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
export { OPERATORS, RECORD_KINDS, TEXTLESS_KINDS } from './schema/rule-words.js';
export { RuleSchema, ConditionSchema, type Rule, type RuleInput, type LoadedRule, type RecordKind, type ConditionNode } from './schema/rule.js';
export {
  ReportSchema,
  DiagnosisSchema,
  EvidenceSchema,
  StatsSchema,
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
export { SCHEMA_VERSION } from './schema/version.js';
export { pythonChain, dictTracebackChain, errorObjectChain, chainOf, chainHas, exceptionInText, onFrameLine, TRACEBACK_HEADER } from './exceptions.js';
export * as vocabulary from './vocabulary.js';
export { analyzeRule, UNWRITTEN, CONTEXT_KEYS, type RuleProblem } from './rules/analyze.js';
export { parseRuleText, locateInRuleText, type ParseResult } from './rules/parse.js';
export { compileRules, preloadRuleModules, paramsFromGroups, ATTENTION_TOKENS, type RulePack, type CompiledRule, type RuleMatch, type CompileOptions } from './rules/compile.js';
export { compileConditions, traceConditions, type Facts, type Predicate, type ConditionTrace, type ConditionOptions, type OperatorCallback } from './rules/conditions.js';
export { literalScanner, type LiteralScanner } from './rules/literals.js';
export { unsafeRegexReason, checkPattern, knowVerdicts, type PatternVerdict, type PatternFacts } from './rules/safety.js';
export { backtrackingMatcher, linearMatcher, type PatternMatcher, type PatternMatch } from './rules/matcher.js';
export { ruleJsonSchema, RULE_SCHEMA_FILE } from './rules/json-schema.js';
export { DiagnosisSession, logFacts, DEFAULT_STALE_AFTER_MS, type SessionOptions, type RecordSink, type AttemptIds } from './engine/session.js';
export type { LogOutcomeRecord } from './engine/connections.js';
export { reportJsonSchema } from './schema/report-json-schema.js';
export { OUTCOME_TOKENS } from './engine/outcomes.js';
export { rootException } from './engine/aggregator.js';
export { messageTemplate } from './engine/normalize.js';
export { diagnose, connectionStatus, type DiagnoseInput, type ConnectionStatus } from './engine/diagnose.js';
export { mergeReports } from './engine/merge.js';
export { parseReport } from './engine/parse-report.js';
export { hideIds } from './engine/hide.js';
export { createRedactor, redactDeep, DEFAULT_PATTERNS, type Redactor, type RedactionPattern } from './redact.js';
export { visible, visibleLine, codeSpan, markdownText } from './escape.js';
export { renderJsonPieces } from './render/index.js';
export { render, renderJson, renderText, renderMarkdown, renderHtml, FORMATS, type OutputFormat, type TextOptions } from './render/index.js';
export { runFixture, type FixtureReader, type FixtureResult, type FixtureCase, type FixtureRecords } from './harness.js';
export {
  trace,
  TRACE_CHECKS,
  TRACE_FACTS,
  INFOSEC_SCHEMAS,
  type Trace,
  type TraceOptions,
  type TraceCheck,
  type TraceCheckDefinition,
  type TraceEvidence,
  type TraceConnection,
  type TraceVerdict,
  type HostFact,
  type HostOperator,
} from './engine/trace.js';
export { renderTrace, TRACE_FORMATS, type TraceFormat } from './render/trace.js';
export { logReportBuilt, type Logger, type LogMethod, type Progress, type ProgressCallback, type ObserveOptions } from './observe.js';
export { conditionEngine, planConditions, type ConditionPlan, type HostFact as HostConditionFact, type HostOperator as HostConditionOperator } from './rules/conditions.js';
export { generalPredicate, type GeneralEngine } from './rules/general.js';
