/**
 * The report's shape version. It goes up with every change of shape: 2 added `connections`,
 * `judged`, and each diagnosis' `state`, `resolvedAt`, `origin` and `peer`; 3 added `related`; 4 added each diagnosis' `connectionsOmitted` and
 * `sharedIdsOmitted`, and `stats.inputsOmitted`.
 */
export const SCHEMA_VERSION = 5;
