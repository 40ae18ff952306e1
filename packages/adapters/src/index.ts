export { LogReader, readLogStream, readLogText, LOG_FORMATS, DEFAULT_MAX_LINE_BYTES, type LogFormatOption, type ReadOptions } from './reader.js';
export { readEventsText, readEventsStream, toSyncEvent, EventsReader, type EventReadOptions, type EventReadResult } from './events.js';
export { expandInputs, openInput, openLogInputs, type InputRef, type ExpandResult, type LogPart } from './sources.js';
export { loadRuleFiles, loadRulePack, findRuleFiles, RULE_GLOB, type LoadResult } from './rules-loader.js';
export { fixtureReader, testRulePack, type PackTestResult } from './fixtures.js';
export { diagnoseInputs, type DiagnoseInputsOptions } from './run.js';
export { diagnoseInputsParallel, type ParallelOptions } from './parallel.js';
export type { DiagnoseInputsResult } from './run.js';
export { enableRegexBudget } from './regex-budget.js';
