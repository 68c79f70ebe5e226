// Load for crash tests, driven over raw gRPC so the test knows exactly which changes the server acknowledged:
// lanes start workflows and signal them, a workflow-task loop schedules activities, an activity loop completes them.
import { randomUUID } from 'node:crypto';
import { Client, type Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import Long from 'long';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const NAMESPACE = 'default';
const ACTIVITIES_PER_WORKFLOW = 3;
const SCHEDULE_ACTIVITY_TASK = 1;

/** What the server answered OK to. */
export interface Acknowledged {
  starts: Set<string>;
  signals: { workflowId: string; note: string }[];
  completions: { workflowId: string; activityId: string }[];
  /** Called right after each acknowledgement is recorded (a test kills the server from here). */
  onAck?: () => void;
}

/** Runs load against one server until the connection dies; resolves once every loop has stopped. */
export function driveLoad(connection: Connection, taskQueue: string, acked: Acknowledged, lanes = 16) {
  const client = new Client({ connection, namespace: NAMESPACE });
  const service = connection.workflowService;
  const identity = `crash-test-${randomUUID().slice(0, 8)}`;
  const startLane = async () => {
    for (;;) {
      const workflowId = `crash-${randomUUID()}`;
      await client.workflow.start('crashLedger', { taskQueue, workflowId });
      acked.starts.add(workflowId);
      acked.onAck?.();
      for (let i = 0; i < 2; i++) {
        const note = `${workflowId}/signal-${i}`;
        await client.workflow.getHandle(workflowId).signal('note', note);
        acked.signals.push({ workflowId, note });
        acked.onAck?.();
      }
    }
  };
  const workflowTasks = async () => {
    for (;;) {
      const task = await service.pollWorkflowTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: taskQueue },
        identity,
      });
      if (!task.taskToken?.length) continue;
      const scheduled = (task.history?.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
      const commands =
        scheduled < ACTIVITIES_PER_WORKFLOW
          ? [
              {
                commandType: SCHEDULE_ACTIVITY_TASK,
                scheduleActivityTaskCommandAttributes: {
                  activityId: `activity-${scheduled}`,
                  activityType: { name: 'ledger' },
                  taskQueue: { name: `${taskQueue}-activities` },
                  startToCloseTimeout: { seconds: Long.fromNumber(120) },
                },
              },
            ]
          : [];
      await service.respondWorkflowTaskCompleted({
        namespace: NAMESPACE,
        taskToken: task.taskToken,
        identity,
        commands,
      });
    }
  };
  const activityTasks = async () => {
    for (;;) {
      const task = await service.pollActivityTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: `${taskQueue}-activities` },
        identity,
      });
      if (!task.taskToken?.length) continue;
      await service.respondActivityTaskCompleted({ namespace: NAMESPACE, taskToken: task.taskToken, identity });
      acked.completions.push({ workflowId: task.workflowExecution!.workflowId!, activityId: task.activityId! });
      acked.onAck?.();
    }
  };
  const loops = [
    ...Array.from({ length: lanes }, startLane),
    ...Array.from({ length: 4 }, workflowTasks),
    ...Array.from({ length: 4 }, activityTasks),
  ];
  return Promise.allSettled(loops);
}

/** A run's whole history, every page. */
export async function fullHistory(connection: Connection, workflowId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: NAMESPACE,
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** Workflow id → number of runs, over every crashLedger run the server lists. */
export async function runsPerWorkflow(connection: Connection): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listWorkflowExecutions({
      namespace: NAMESPACE,
      query: "WorkflowType = 'crashLedger'",
      pageSize: 1000,
      nextPageToken,
    });
    for (const info of page.executions ?? []) {
      const id = info.execution!.workflowId!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return counts;
}

const text = (data: Uint8Array | null | undefined) => (data ? JSON.parse(Buffer.from(data).toString()) : undefined);

/** The signal notes and completed activity ids in a history, with repeats. */
export function ledgerOf(events: HistoryEvent[]): { notes: string[]; completed: string[] } {
  const activityIds = new Map<number, string>();
  const notes: string[] = [];
  const completed: string[] = [];
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) activityIds.set(Number(e.eventId), scheduled.activityId!);
    const signal = e.workflowExecutionSignaledEventAttributes;
    if (signal) notes.push(text(signal.input?.payloads?.[0]?.data) as string);
    const done = e.activityTaskCompletedEventAttributes;
    if (done) completed.push(activityIds.get(Number(done.scheduledEventId)) ?? '?');
  }
  return { notes, completed };
}
