/**
 * The command's usage text and version, in a module with no imports: the bin answers --version
 * and --help from here before it loads the engine (docs/benchmarks.md, start-up).
 */
export const VERSION = '0.1.0';

export const USAGE = `Usage:
  scs-doctor diagnose [INPUT...] [--events FILE]... [--format text|json|markdown|html]
                      [--output FILE] [--now ISO-8601] [--stale-after 6h] [--rules DIR]...
                      [--no-builtin] [--log-format auto|python|plain|json|cri|docker]
                      [--redact REGEX]... [--max-evidence N] [--config DEPLOYMENT.json] [--jobs N]
                      [--color|--no-color] [--verbose]
  scs-doctor merge REPORT.json... [--format text|json|markdown|html] [--output FILE]
                   [--now ISO-8601] [--stale-after 6h] [--rules DIR]... [--no-builtin]
  scs-doctor rules list [--rules DIR]... [--no-builtin]
  scs-doctor rules test [DIR]
  scs-doctor rules lint [DIR]
  scs-doctor rules schema

INPUT is a file, a directory, a glob (quote it; scs-doctor expands it) or - for standard input.
Gzip is read transparently; a tar or tar.gz support bundle is read file by file; a log store's
JSON export (CloudWatch, Cloud Logging, Elasticsearch) is read entry by entry. --events reads a
sync history: a JSON array, an API page or response that holds the events, or NDJSON.
--config runs read-only deployment checks (S3 buckets, Inbox manifests, Master Key
fingerprints) described by a deployment snapshot file.
Exit status: 0 no active diagnosis (nothing found, or every diagnosis resolved by a later
successful sync), 1 at least one active diagnosis, 2 usage or input error.
`;
