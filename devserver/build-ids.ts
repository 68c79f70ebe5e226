// The BuildIds (and BinaryChecksums) search attributes the real server keeps up to date on every workflow task
// completion, so describe, list and queries show which worker builds ran a workflow.
import type { temporal } from '@temporalio/proto';
import { IndexedValueType } from './codes';
import { decodePayload } from './proto';
import { typedJsonPayload } from './search-attributes';
import type { WorkflowRun } from './state';

type CompleteRequest = temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest;

/** The sentinel every unversioned workflow carries first in BuildIds. */
const UNVERSIONED = 'unversioned';
/** The real server's `limit.maxResetPoints`, which also bounds BinaryChecksums. */
const MAX_BINARY_CHECKSUMS = 20;

function listAttribute(run: WorkflowRun, name: string): string[] {
  const value = decodePayload(run.searchAttributes[name]);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `unversioned:<build id>` (or `versioned:…` for a worker using build-id versioning), as the real server spells it. */
function buildIdEntry(req: CompleteRequest): string {
  const buildId = req.deploymentOptions?.buildId || req.workerVersionStamp?.buildId || '';
  if (!buildId) return '';
  return `${req.workerVersionStamp?.useVersioning ? 'versioned' : UNVERSIONED}:${buildId}`;
}

/** Records the completing worker's build in BuildIds and its binary checksum in BinaryChecksums. */
export function recordBuildIds(run: WorkflowRun, req: CompleteRequest): void {
  const entry = buildIdEntry(req);
  const earlier = listAttribute(run, 'BuildIds').filter(
    (v) => v !== UNVERSIONED && !v.startsWith('assigned:') && !v.startsWith('pinned:'),
  );
  const buildIds = [UNVERSIONED, ...earlier, ...(entry && !earlier.includes(entry) ? [entry] : [])];
  run.searchAttributes.BuildIds = typedJsonPayload(buildIds, IndexedValueType.KEYWORD_LIST);
  const checksum = req.binaryChecksum ?? '';
  const checksums = listAttribute(run, 'BinaryChecksums');
  if (checksum && !checksums.includes(checksum)) {
    const recent = [...checksums, checksum].slice(-MAX_BINARY_CHECKSUMS);
    run.searchAttributes.BinaryChecksums = typedJsonPayload(recent, IndexedValueType.KEYWORD_LIST);
  }
}
