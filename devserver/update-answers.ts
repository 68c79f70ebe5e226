// A worker's answers to workflow updates, as the real server applies them: each message of a task completion is
// an acceptance (WorkflowExecutionUpdateAccepted), a response (WorkflowExecutionUpdateCompleted) or a rejection
// (nothing in history), validated together before any is written.
import type { temporal } from '@temporalio/proto';
import { append } from './history';
import { api } from './proto';
import { isClosed, type UpdateRecord, type UpdateRequest, type UpdateStage, type WorkflowRun } from './state';
import { abortOne, requestMessageId, serverFailure, settle, TYPE_URL_PREFIX, UpdateLifecycle } from './updates';

type Message = temporal.api.protocol.v1.IMessage;

const UNPROCESSED_FAILURE = serverFailure(
  "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
  'UnprocessedUpdate',
);
/** A worker's answer to an update, decoded from a message body. */
type Answer =
  | { kind: 'acceptance'; body: temporal.api.update.v1.IAcceptance }
  | { kind: 'rejection'; body: temporal.api.update.v1.IRejection }
  | { kind: 'response'; body: temporal.api.update.v1.IResponse };

function decodeAnswer(msg: Message): Answer | string {
  const typeUrl = msg.body?.type_url ?? '';
  const value = msg.body?.value ?? new Uint8Array();
  switch (typeUrl) {
    case `${TYPE_URL_PREFIX}Acceptance`:
      return { kind: 'acceptance', body: api.update.v1.Acceptance.decode(value) };
    case `${TYPE_URL_PREFIX}Rejection`:
      return { kind: 'rejection', body: api.update.v1.Rejection.decode(value) };
    case `${TYPE_URL_PREFIX}Response`:
      return { kind: 'response', body: api.update.v1.Response.decode(value) };
    default:
      return `Message type ${typeUrl || '(none)'} not supported`;
  }
}

/** True when the message is a rejection (a speculative task that only rejects can be discarded). */
export function isRejection(msg: Message): boolean {
  return msg.body?.type_url === `${TYPE_URL_PREFIX}Rejection`;
}

/** The request an acceptance or rejection carries back (SDKs since 2024 send it), to bring back a lost update. */
function answeredRequest(answer: Answer): UpdateRequest | null {
  if (answer.kind === 'acceptance') return answer.body.acceptedRequest ?? null;
  if (answer.kind === 'rejection') return answer.body.rejectedRequest ?? null;
  return null;
}

/**
 * Why the real server would refuse these answers (failing the task with BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE),
 * checked in the order they apply before anything is written; null when they are valid.
 */
export function updateAnswersProblem(run: WorkflowRun, ordered: Message[]): string | null {
  const stages = new Map<string, UpdateStage>();
  for (const msg of ordered) {
    const answer = decodeAnswer(msg);
    if (typeof answer === 'string') return answer;
    const id = msg.protocolInstanceId ?? '';
    const stage = stages.get(id) ?? run.updates.get(id)?.stage ?? (answeredRequest(answer) ? 'admitted' : undefined);
    if (!stage) {
      return `update ${id} wasn't found on the server. This is most likely a transient error which will be resolved automatically by retries`;
    }
    const allowed: UpdateStage[] = answer.kind === 'response' ? ['accepted'] : ['admitted', 'sent'];
    if (!allowed.includes(stage))
      return `invalid state transition attempted for Update ${id}: received ${answer.kind} message while in state ${stage}`;
    stages.set(id, answer.kind === 'acceptance' ? 'accepted' : 'completed');
  }
  return null;
}

function accept(run: WorkflowRun, record: UpdateRecord, body: temporal.api.update.v1.IAcceptance): void {
  const event = append(run, 'WorkflowExecutionUpdateAccepted', {
    protocolInstanceId: record.updateId,
    acceptedRequestMessageId: requestMessageId(record.updateId),
    acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId ?? 0,
    acceptedRequest: record.request,
  });
  record.stage = 'accepted';
  record.acceptedEventId = Number(event.eventId);
  record.request = null;
}

function complete(run: WorkflowRun, record: UpdateRecord, body: temporal.api.update.v1.IResponse): void {
  const event = append(run, 'WorkflowExecutionUpdateCompleted', {
    acceptedEventId: record.acceptedEventId,
    meta: body.meta ?? null,
    outcome: body.outcome ?? null,
  });
  record.stage = 'completed';
  record.completedEventId = Number(event.eventId);
}

/** Applies one answer (validated by updateAnswersProblem) at its place among the completion's events. */
export function applyUpdateAnswer(run: WorkflowRun, msg: Message): void {
  const answer = decodeAnswer(msg);
  if (typeof answer === 'string') return;
  const id = msg.protocolInstanceId ?? '';
  let record = run.updates.get(id);
  const request = answeredRequest(answer);
  if (!record && request) {
    record = {
      updateId: id,
      stage: 'admitted',
      request,
      admittedAt: Date.now(),
      acceptedEventId: 0,
      completedEventId: 0,
    };
    run.updates.set(id, record);
  }
  if (!record) return;
  // Once the workflow closed in this task, only rejections can still be applied; the rest abort.
  if (isClosed(run) && answer.kind !== 'rejection') return abortOne(run, record, false);
  if (answer.kind === 'acceptance') accept(run, record, answer.body);
  else if (answer.kind === 'response') complete(run, record, answer.body);
  else settle(run, record, { stage: UpdateLifecycle.COMPLETED, outcome: { failure: answer.body.failure ?? null } });
}

/** Updates a worker received in this task but neither accepted nor rejected: the server rejects them (old SDKs). */
export function rejectUnprocessedUpdates(run: WorkflowRun): void {
  for (const record of [...run.updates.values()]) {
    if (record.stage === 'sent')
      settle(run, record, { stage: UpdateLifecycle.COMPLETED, outcome: { failure: UNPROCESSED_FAILURE } });
  }
}
