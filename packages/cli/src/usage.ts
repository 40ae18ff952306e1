/**
 * The command's usage text and version, in a module with no imports: the bin answers --version
 * and --help from here before it loads the engine (docs/benchmarks.md, start-up).
 */
export const VERSION = '0.1.0';

export const USAGE = `Usage:
  scs-doctor diagnose [INPUT...] [--events FILE]... [--format text|json|markdown|html]
                      [--output FILE] [--now ISO-8601] [--stale-after 6h] [--rules DIR]...
                      [--no-builtin] [--log-format auto|python|plain|json|cri|docker]
                      [--redact REGEX]... [--max-evidence N] [--max-unmatched N]
                      [--config DEPLOYMENT.json] [--jobs N] [--max-inflated-bytes SIZE]
                      [--hide-ids] [--explain] [--color|--no-color] [--verbose] [--quiet]
  scs-doctor merge REPORT.json... [--format text|json|markdown|html] [--output FILE]
                   [--now ISO-8601] [--stale-after 6h] [--rules DIR]... [--no-builtin] [--hide-ids]
  scs-doctor trace ID [INPUT...] [--events FILE]... [--facts FACTS.json]
                   [--format text|json|markdown] [--output FILE] [--now ISO-8601]
                   [--rules DIR]... [--no-builtin] [--log-format ...] [--redact REGEX]...
  scs-doctor rules list [--rules DIR]... [--no-builtin]
  scs-doctor rules test [DIR]
  scs-doctor rules lint [DIR]
  scs-doctor rules schema
  scs-doctor rules new ID (--from-line "LINE"... [--ok "LINE"]... | --from-unmatched N REPORT.json)
                   [--dir DIR] [--force]
  scs-doctor rules lint [DIR]... [--no-builtin] [--no-recheck]
  scs-doctor schema report|rule
  scs-doctor explain "LINE" [--rule ID]... [--rules DIR]... [--no-builtin] [--json]
  scs-doctor diagnose ... --explain

Options of diagnose (merge and trace take those that apply to them):
  --events FILE          a sync history to read (repeatable): JSON array, API page or response, NDJSON
  -f, --format F         text (default), json, markdown (for tickets) or html (one self-contained file)
  -o, --output FILE      write the report to FILE instead of standard output (says where on stderr)
  --now ISO-8601         judge connections at this time instead of the current time
  --stale-after D        how old a connection's newest sync may be before sync-stale (default 6h)
  --rules DIR            add the rules in DIR to the pack (repeatable)
  --no-builtin           leave out the built-in rules (then give --rules)
  --log-format F         read every line as this format instead of detecting it per line
  --redact REGEX         also redact what REGEX matches from the report (repeatable)
  --max-evidence N       evidence lines kept per diagnosis (default 5)
  --max-unmatched N      unmatched error messages listed (default 20)
  --max-inflated-bytes S largest decompressed size per gzip input, e.g. 64M or 4G (default 1G)
  --config FILE          run read-only deployment checks described by FILE
  -j, --jobs N           read log files in N worker threads (default 1, at most the cores)
  --hide-ids             replace connection ids, names and Shared IDs by stable placeholders
  --explain              after the report, explain each diagnosis's evidence stage by stage
  --color, --no-color    force or turn off colour in text output
  -v, --verbose          debug lines of what was read and how long it took, as JSON on stderr
  -q, --quiet            no progress line (it is drawn only when stderr is a terminal)
  -h, --help             this text
  --version              the version

INPUT is a file, a directory, a glob (quote it; scs-doctor expands it) or - for standard input.
Gzip is read transparently; a tar or tar.gz support bundle is read file by file; a log store's
JSON export (CloudWatch, Cloud Logging, Elasticsearch) is read entry by entry. --events reads a
sync history: a JSON array, an API page or response that holds the events, or NDJSON.
--config runs read-only deployment checks described by a deployment file: SCS health, S3
buckets for each service, Inbox manifests, large Outbox objects, object-store labels, Outbox
changes, Master Key fingerprints.
Exit status: 0 no active diagnosis (nothing found, or every diagnosis resolved by a later
successful sync), 1 at least one active diagnosis, 2 usage or input error.
trace follows one file (ID: a resource or revision id) through the inputs of both sides and
walks the guide's "Sync Succeeds, File Not Received" checklists; --facts gives what only the
host knows (viewer, owners, infosec levels, control tags). Its exit status: 0 the file got
through and every check walked passed, 1 it stopped (excluded, failed, never sent) or a check
failed, 3 undetermined (not found, or checks left unknown), 2 usage or input error.
`;
