// The size checks the real server runs on a workflow task's commands and update messages: a payload over the blob
// limit (or a memo over the memo limit) fails the task with the command's BAD_* cause and terminates the workflow.
import type { temporal } from '@temporalio/proto';
import { TaskFailedCause } from './codes';
import type { Ctx } from './context';
import type { Command } from './proto';
import { exceedsLimit, failureSize, memoSize, payloadMapSize, payloadsMapSize, payloadsSize } from './payload-limits';
import type { WorkflowRun } from './state';

type Message = temporal.api.protocol.v1.IMessage;

/** A refused completion: the cause, the real server's message, and that the workflow is terminated for it. */
export interface SizeProblem {
  cause: number;
  message: string;
  terminates: true;
}

/** One measured field of a command: its size, the limit it is held to, and what the real server says about it. */
interface SizeCheck {
  size: number;
  kind?: 'memo';
  message: string;
}

type CheckedCommand = (cmd: Command, run: WorkflowRun) => { cause: number; checks: SizeCheck[] };

const C = TaskFailedCause;

// By command type (temporal.api.enums.v1.CommandType); the causes and messages are the real server's own,
// including its BAD_SCHEDULE_ACTIVITY_ATTRIBUTES for a too-large workflow result.
const CHECKS: Record<number, CheckedCommand> = {
  1: (cmd) => ({
    cause: C.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
    checks: [
      {
        size: payloadsSize(cmd.scheduleActivityTaskCommandAttributes?.input),
        message: 'ScheduleActivityTaskCommandAttributes.Input exceeds size limit.',
      },
    ],
  }),
  4: (cmd) => ({
    cause: C.BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
    checks: [
      {
        size: payloadsSize(cmd.completeWorkflowExecutionCommandAttributes?.result),
        message: 'CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.',
      },
    ],
  }),
  5: (cmd) => ({
    cause: C.BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES,
    checks: [
      {
        size: failureSize(cmd.failWorkflowExecutionCommandAttributes?.failure),
        message: 'FailWorkflowExecutionCommandAttributes.Failure exceeds size limit.',
      },
    ],
  }),
  9: (cmd) => ({
    cause: C.BAD_RECORD_MARKER_ATTRIBUTES,
    checks: [
      {
        size: payloadsMapSize(cmd.recordMarkerCommandAttributes?.details),
        message: 'RecordMarkerCommandAttributes.Details exceeds size limit.',
      },
    ],
  }),
  10: (cmd) => {
    const a = cmd.continueAsNewWorkflowExecutionCommandAttributes;
    return {
      cause: C.BAD_CONTINUE_AS_NEW_ATTRIBUTES,
      checks: [
        {
          size: payloadsSize(a?.input),
          message: 'ContinueAsNewWorkflowExecutionCommandAttributes. Input exceeds size limit.',
        },
        {
          size: memoSize(a?.memo?.fields),
          kind: 'memo',
          message: 'ContinueAsNewWorkflowExecutionCommandAttributes. Memo exceeds size limit.',
        },
      ],
    };
  },
  11: (cmd) => {
    const a = cmd.startChildWorkflowExecutionCommandAttributes;
    return {
      cause: C.BAD_START_CHILD_EXECUTION_ATTRIBUTES,
      checks: [
        {
          size: payloadsSize(a?.input),
          message: 'StartChildWorkflowExecutionCommandAttributes. Input exceeds size limit.',
        },
        {
          size: memoSize(a?.memo?.fields),
          kind: 'memo',
          message: 'StartChildWorkflowExecutionCommandAttributes.Memo exceeds size limit.',
        },
      ],
    };
  },
  12: (cmd) => ({
    cause: C.BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
    checks: [
      {
        size: payloadsSize(cmd.signalExternalWorkflowExecutionCommandAttributes?.input),
        message: 'SignalExternalWorkflowExecutionCommandAttributes.Input exceeds size limit.',
      },
    ],
  }),
  13: (cmd) => ({
    cause: C.BAD_SEARCH_ATTRIBUTES,
    checks: [
      {
        size: payloadMapSize(cmd.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes?.indexedFields),
        message: 'UpsertWorkflowSearchAttributesCommandAttributes exceeds size limit.',
      },
    ],
  }),
  16: (cmd, run) => {
    const upserted = cmd.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo?.fields;
    return {
      cause: C.BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES,
      checks: [
        { size: payloadMapSize(upserted), message: 'ModifyWorkflowPropertiesCommandAttributes exceeds size limit.' },
        {
          size: memoSize({ ...run.memo, ...upserted }),
          kind: 'memo',
          message: 'ModifyWorkflowPropertiesCommandAttributes. Memo exceeds size limit.',
        },
      ],
    };
  },
};

/** The real server's text for a failed task: the cause's enum name, then what was wrong. */
function problem(cause: number, message: string): SizeProblem {
  const name = Object.entries(C).find(([, value]) => value === cause)?.[0] ?? String(cause);
  return { cause, message: `WORKFLOW_TASK_FAILED_CAUSE_${name}: ${message}`, terminates: true };
}

function messageProblem(ctx: Ctx, msg: Message): SizeProblem | null {
  const typeUrl = msg.body?.type_url ?? '';
  const type = typeUrl.split('/').pop() ?? '';
  const size = (msg.body?.value?.length ?? 0) + typeUrl.length;
  if (!exceedsLimit(ctx, size, type)) return null;
  return problem(C.BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, `Message type ${type} exceeds size limit.`);
}

/** The first command or message whose payload is over the limits, or null. */
export function commandSizeProblem(
  ctx: Ctx,
  run: WorkflowRun,
  commands: Command[],
  messages: Message[],
): SizeProblem | null {
  for (const cmd of commands) {
    const checked = CHECKS[cmd.commandType ?? 0]?.(cmd, run);
    for (const check of checked?.checks ?? []) {
      const operation = `command type ${cmd.commandType}`;
      if (exceedsLimit(ctx, check.size, operation, check.kind)) return problem(checked!.cause, check.message);
    }
  }
  for (const msg of messages) {
    const found = messageProblem(ctx, msg);
    if (found) return found;
  }
  return null;
}
