/**
 * The words and the checks of `trace`: the debugging guide's two checklists for "Sync Succeeds,
 * File Not Received" (Debugging Secure Connections › Sending Side Checks and Receiving Side
 * Checks), kept apart from the code that walks them. The checks the host answers are
 * json-rules-engine conditions over facts; a host app replaces one by giving a check of the same id.
 */
import type { TopLevelCondition } from 'json-rules-engine';

export type TraceVerdict = 'received' | 'transferred' | 'excluded' | 'failed' | 'never-sent' | 'not-found';
export type TraceSide = 'sending' | 'receiving';

/** A check the host answers: evaluated with json-rules-engine over the host's facts and the trace's own. */
export interface TraceCheckDefinition {
  /** Stable id; a host check with the id of a built-in one replaces it. */
  id: string;
  side: TraceSide;
  /** What holds when the check passes, as a sentence. */
  title: string;
  /** json-rules-engine conditions (all / any / not), with the engine's operators and the host's. */
  conditions: TopLevelCondition;
  /** What to do when the check fails. */
  step: string;
  /** What to do when it cannot be judged (a fact was not supplied). */
  unknownStep?: string | undefined;
  /**
   * The verdicts after which the check is walked (default: receiving checks after `transferred`
   * and `received`; sending checks after `never-sent`, `failed` and `not-found`).
   */
  when?: readonly TraceVerdict[] | undefined;
}

export const RECEIVING_VERDICTS: readonly TraceVerdict[] = ['transferred', 'received'];
export const SENDING_VERDICTS: readonly TraceVerdict[] = ['never-sent', 'failed', 'not-found'];

const GUIDE_SENDING = 'Debugging Secure Connections › Sending Side Checks › Sync Succeeds, File Not Received';
const GUIDE_RECEIVING = 'Debugging Secure Connections › Receiving Side Checks › Sync Succeeds, File Not Received';
export const TRACE_REFERENCES = { sending: GUIDE_SENDING, receiving: GUIDE_RECEIVING } as const;

/**
 * Infosec level schemas, lowest first (Secure Connections documentation › Infosec levels). The
 * host may give its own order as the fact `infosecLevels`; otherwise the schema that holds the
 * file's level is used.
 */
export const INFOSEC_SCHEMAS: Readonly<Record<string, readonly string[]>> = {
  US_DOD: ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET', 'TOP_SECRET_SCI'],
  AUS: ['OFFICIAL', 'OFFICIAL:SENSITIVE', 'PROTECTED', 'SECRET', 'TOP_SECRET'],
};

/**
 * The facts the built-in checks read, with what each holds. The trace supplies the ones marked
 * (trace); the host supplies the others, as values or as (async) functions.
 */
export const TRACE_FACTS: Readonly<Record<string, string>> = {
  viewerId: 'The user who cannot see the file.',
  receivingConnectionOwners: 'The owners (user ids) of the receiving connection.',
  viewerInfosecLevel: "The viewer's infosec level (null: none).",
  fileInfosecLevel: "The file's infosec level (null: the file has none).",
  infosecLevels: 'The infosec levels of the platform, lowest first (default: the documented schema that holds the levels).',
  viewerControlTags: 'The control tags the viewer holds.',
  fileControlTags: 'The control tags on the file (the viewer needs every one).',
  artifactParented: 'Whether the artifact has a parent model (false: an unparented artifact).',
  outboxChangedAt: "When the sending connection's Outbox configuration last changed (ISO-8601).",
  sendingConnectionCreatedAt: 'When the sending connection was created (ISO-8601).',
  outboxBucket: 'The S3 bucket the Outbox is configured to.',
  expectedOutboxBucket: 'The bucket it should be (the Registry Service configuration for the same label).',
  viewerInfosecRank: "(trace) The viewer's level as a position in infosecLevels; -1 for none.",
  fileInfosecRank: "(trace) The file's level as a position in infosecLevels; -1 for none.",
  id: '(trace) The id traced.',
  resourceId: '(trace) The resource id of the file, when the inputs name it.',
  revisionId: '(trace) The revision id of the file, when the inputs name it.',
  sizeBytes: '(trace) Its size in bytes, when the inputs give it.',
  verdict: '(trace) The verdict of the trace.',
  sharedId: '(trace) The Shared ID of the connection that carried the file.',
  sendingConnectionId: '(trace) The sending connection that carried (or should carry) the file.',
  receivingConnectionId: '(trace) The receiving connection on the other side of its Shared ID.',
};

/** The built-in checks the host answers, in the guide's order. */
export const TRACE_CHECKS: readonly TraceCheckDefinition[] = [
  {
    id: 'outbox-unchanged',
    side: 'sending',
    title: 'The Outbox has not changed since the sending connection was created.',
    conditions: { all: [{ fact: 'outboxChangedAt', operator: 'atOrBefore', value: { fact: 'sendingConnectionCreatedAt' } }] },
    step: 'The Outbox was changed after the sending connection was created, so the file may need to be re-published: unshare it, wait for the next sync, and share it again.',
    unknownStep: 'If the Outbox was changed after the sending connection was created, re-publish the file: unshare it, wait for the next sync, and share it again.',
  },
  {
    id: 'outbox-bucket',
    side: 'sending',
    title: 'The Outbox is configured to the correct S3 bucket.',
    conditions: { all: [{ fact: 'outboxBucket', operator: 'equal', value: { fact: 'expectedOutboxBucket' } }] },
    step: 'The Outbox points at another S3 bucket than it should: correct the bucket configuration, duplicated alike in the Registry Service and SCS (S3 Bucket Management), then re-publish the file.',
    unknownStep: 'Confirm the Outbox is configured to the correct S3 bucket (S3 Bucket Management).',
  },
  {
    id: 'viewer-owner',
    side: 'receiving',
    title: 'The viewer is an owner of the receiving connection.',
    conditions: { all: [{ fact: 'receivingConnectionOwners', operator: 'contains', value: { fact: 'viewerId' } }] },
    step: 'The viewer is not an owner of the receiving connection: add them as an owner (Manage Owners, Receiving Connections), or ask an owner to share the file with them.',
    unknownStep: 'Confirm the user trying to view the file is an owner of the receiving connection (Manage Owners, Receiving Connections).',
  },
  {
    id: 'viewer-infosec',
    side: 'receiving',
    title: "The viewer holds the file's infosec level.",
    conditions: { all: [{ fact: 'viewerInfosecRank', operator: 'greaterThanInclusive', value: { fact: 'fileInfosecRank' } }] },
    step: "The viewer's infosec level is below the file's: the file stays hidden from them until they hold that level.",
    unknownStep: 'Confirm the user holds the infosec level required for the file.',
  },
  {
    id: 'viewer-control-tags',
    side: 'receiving',
    title: 'The viewer holds every control tag on the file.',
    conditions: { all: [{ fact: 'viewerControlTags', operator: 'containsAll', value: { fact: 'fileControlTags' } }] },
    step: "The viewer lacks control tags the file carries (a user needs every tag on a resource): grant them, or check the receiving connection's transform configuration that maps the incoming tags.",
    unknownStep: 'Confirm the user holds the control tags required for the file.',
  },
  {
    id: 'artifact-parented',
    side: 'receiving',
    title: 'The artifact has a parent model (it is not an unparented artifact).',
    conditions: { all: [{ fact: 'artifactParented', operator: 'equal', value: true }] },
    step: 'The file is an unparented artifact: follow the steps in "Finding Artifacts Shared to You Individually" (user guide).',
    unknownStep: 'If the file is an unparented artifact, follow the steps in "Finding Artifacts Shared to You Individually" (user guide).',
  },
];

/** The checks the trace judges from the inputs themselves (sync histories and logs). */
export const DATA_CHECKS = {
  'with-updates': { side: 'sending', title: 'The file appears in a successful sync on the sending side ("With Updates").' },
  'receiving-side': { side: 'receiving', title: 'The receiving side shows the file in a successful sync.' },
} as const satisfies Record<string, { side: TraceSide; title: string }>;

/** The verdicts in words: a summary and the steps, `{{placeholders}}` filled from the trace. */
export const VERDICT_TEXT: Readonly<Record<TraceVerdict, { summary: string; steps: readonly string[] }>> = {
  received: {
    summary: '{{what}} reached the receiving side: it is in a successful sync of {{connection}} at {{time}}.',
    steps: ['The file has arrived. If a user still cannot see it, the receiving checks say why.'],
  },
  transferred: {
    summary: '{{what}} left the sending side cleanly: it is in a successful sync of {{connection}} at {{time}}.',
    steps: ['The sending side is done with this file: what remains is on the receiving side (the receiving checks).'],
  },
  excluded: {
    summary: '{{what}} was excluded from sync by {{connection}} at {{time}}: {{reason}}.',
    steps: [],
  },
  failed: {
    summary: '{{what}} failed to transfer on the {{side}} side ({{connection}}, {{time}}): {{reason}}.',
    steps: [
      'Read the SCS logs of the {{side}} side around {{time}} and run them through scs-doctor diagnose: an Outbox write error (the ~2 GB copy ceiling, access denied on the bucket) names the cause.',
      'Check whether a later successful sync transfers it ("With Updates" on the sync history): SCS tries the file again on the next sync.',
      'If it keeps failing, unshare the file, wait for the next sync, and share it again.',
    ],
  },
  'never-sent': {
    summary: '{{what}} is in none of the {{successes}} successful syncs of the sending side in the inputs ({{connection}}, {{from}} to {{to}}): it never left the sending side.',
    steps: [
      'Check that {{id}} is the resource (or revision) id the sending side shows for the file, and that the sync history covers the time it was shared.',
      'If the Outbox was changed after the sending connection was created, the file needs to be re-published: unshare it, wait for the next sync, and share it again.',
      'Confirm the Outbox is configured to the correct S3 bucket (S3 Bucket Management).',
    ],
  },
  'not-found': {
    summary: '{{id}} appears in none of the inputs, and they hold no successful sync of a sending connection to judge by.',
    steps: [
      'Give the sending side\'s sync history (the Sync Status page of the sending connection with "With Updates", or its export) with --events, and the receiving side\'s when you have it.',
      'Check that {{id}} is the resource or revision id of the file as the sending side shows it.',
    ],
  },
};

/** Why a file was excluded, when the event says no more than `excluded`. */
export const EXCLUSION_TEXT = {
  /** The guide's "~2 GB": the threshold of the file-exceeds-copy-ceiling rule. */
  ceilingBytes: 2_000_000_000,
  ceiling: 'it is {{sizeBytes}} bytes, over the ~2 GB per-file copy ceiling',
  ceilingSteps: [
    'A file over about 2 GB cannot be transferred through a Secure Connection; other shared files on the connection keep flowing. Bring the file under about 2 GB (split or compress it) and share the smaller files, or deliver it through another approved channel.',
    'Do not reset or recreate the connection for this: no setting raises the cap. Support for larger files is planned for a future version.',
  ],
  unknown: 'the sync history gives no reason',
  unknownSteps: ['Read the SCS logs of the sending side around {{time}} and run them through scs-doctor diagnose for the reason.', 'Once the cause is fixed, unshare the file, wait for the next sync, and share it again.'],
  failedReason: 'the sync history marks it failed',
  failedSyncReason: 'it appears only in syncs that did not succeed',
} as const;

/** The words of the data checks' results. */
export const DATA_CHECK_TEXT = {
  inSync: 'in a successful sync of {{connection}} at {{time}} ({{where}})',
  receivedSoLeft: 'it reached the receiving side, so it left the sending side',
  notInSync: 'not in any of {{successes}} successful syncs of the sending side in the inputs',
  noSendingHistory: 'no successful sync of a sending connection in the inputs',
  excluded: 'excluded: {{reason}}',
  failed: 'failed: {{reason}}',
  received: 'in a successful sync of {{connection}} at {{time}} ({{where}})',
  receiverFailing: '{{connection}} has active diagnoses: {{diagnoses}}',
  receiverFailingStep: 'The receiving connection {{connection}} is failing ({{diagnoses}}): fix that first (scs-doctor diagnose over its history and logs gives the steps).',
  receiverSyncedWithout: '{{connection}} synced successfully at {{time}}, after the transfer, and its history does not list the file',
  receiverSyncedWithoutStep:
    'The receiving connection {{connection}} synced after the transfer without the file: confirm its Shared ID matches the sending side exactly, and that the Inbox receives the manifests (<SHARED_ID>/shard0/manifest; S3 Bucket Management).',
  receiverNoFiles: '{{connection}} synced after the transfer, but its history does not list files',
  receiverNotSince: 'no successful sync of {{connection}} after the transfer at {{time}} in the inputs',
  noReceiver: 'no receiving connection with Shared ID {{sharedId}} in the inputs',
  noReceiverUnknownSharedId: 'no receiving side in the inputs',
  receivingUnknownStep: "Give the receiving side's sync history (or its SCS logs) to see whether the file arrived there.",
  failedCheck: 'failed',
  factMissing: 'not supplied: {{facts}}',
  factError: 'could not be read: {{facts}}',
} as const;
