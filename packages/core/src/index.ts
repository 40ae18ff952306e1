/**
 * The scs-doctor library: rule packs, diagnosis of log lines and sync history, the report and its
 * renderers. Everything exported here is public and follows semantic versioning; the sibling
 * packages' helpers live in `@scs-doctor/core/internal`, which has no compatibility promise.
 *
 * @packageDocumentation
 */
export { ScsDoctorError, isScsDoctorError, formatProblem, type ErrorCode, type Place, type Problem } from './errors.js';
export { LogRecordSchema, SyncEventSchema, type Level, type LogRecord, type LogFormat, type Side, type Source, type SyncEvent, type SyncFile, type SyncEventRecord, type ProbeRecord, type ExceptionLink } from './schema/records.js';
export { RuleSchema, type Rule, type RuleInput, type LoadedRule, type ConditionNode, type RecordKind } from './schema/rule.js';
export { ReportSchema, type Report, type Diagnosis, type Evidence, type Stats, type InputStats, type Unmatched, type UnmatchedRest, type ParamValue, type Connection, type ConnectionState, type Attempt, type Peer } from './schema/report.js';
export { SCHEMA_VERSION } from './schema/version.js';
export { reportJsonSchema } from './schema/report-json-schema.js';
export { ruleJsonSchema } from './rules/json-schema.js';
export { compileRules, type RulePack, type CompiledRule, type RuleMatch, type CompileOptions } from './rules/compile.js';
export { DiagnosisSession, DEFAULT_STALE_AFTER_MS, type SessionOptions, type RecordSink } from './engine/session.js';
export { diagnose, connectionStatus, type DiagnoseInput, type ConnectionStatus } from './engine/diagnose.js';
export { mergeReports } from './engine/merge.js';
export { parseReport } from './engine/parse-report.js';
export { hideIds } from './engine/hide.js';
export { trace, type Trace, type TraceOptions, type TraceCheck, type TraceEvidence, type TraceConnection, type TraceVerdict, type HostFact, type HostOperator } from './engine/trace.js';
export { createRedactor, DEFAULT_PATTERNS, type Redactor, type RedactionPattern } from './redact.js';
export type { Logger, LogMethod, Progress, ProgressCallback, ObserveOptions } from './observe.js';
export { render, renderJsonPieces, FORMATS, type OutputFormat, type TextOptions } from './render/index.js';
export { renderTrace, TRACE_FORMATS, type TraceFormat } from './render/trace.js';

export type { HostFact as HostConditionFact, HostOperator as HostConditionOperator, ConditionPlan } from './rules/conditions.js';
