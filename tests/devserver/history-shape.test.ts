// The history shape checker itself: it must reject the mistakes a wrong server makes.
import { describe, expect, it } from 'vitest';
import { historyShapeProblems } from './history-shape';

const t = { seconds: 1 };
const good = [
  {
    eventId: 1,
    eventTime: t,
    eventType: 1,
    workflowExecutionStartedEventAttributes: {
      originalExecutionRunId: 'r',
      firstExecutionRunId: 'r',
      workflowTaskTimeout: { seconds: 10 },
    },
  },
  { eventId: 2, eventTime: t, eventType: 5, workflowTaskScheduledEventAttributes: {} },
  { eventId: 3, eventTime: t, eventType: 6, workflowTaskStartedEventAttributes: { scheduledEventId: 2 } },
  {
    eventId: 4,
    eventTime: t,
    eventType: 7,
    workflowTaskCompletedEventAttributes: { scheduledEventId: 2, startedEventId: 3 },
  },
  {
    eventId: 5,
    eventTime: t,
    eventType: 10,
    activityTaskScheduledEventAttributes: { workflowTaskCompletedEventId: 4 },
  },
  { eventId: 6, eventTime: t, eventType: 11, activityTaskStartedEventAttributes: { scheduledEventId: 5 } },
  {
    eventId: 7,
    eventTime: t,
    eventType: 12,
    activityTaskCompletedEventAttributes: { scheduledEventId: 5, startedEventId: 6 },
  },
];

describe('history shape checker', () => {
  it('accepts a real-server shaped history', () => {
    expect(historyShapeProblems(good)).toEqual([]);
  });

  it('rejects an event written between WorkflowTaskStarted and its outcome (missing buffering)', () => {
    const bad = [
      ...good.slice(0, 3),
      { eventId: 4, eventTime: t, eventType: 26, workflowExecutionSignaledEventAttributes: {} },
      { ...good[3]!, eventId: 5 },
    ];
    expect(historyShapeProblems(bad).join()).toMatch(/does not directly follow WorkflowTaskStarted/);
  });

  it('accepts a schedule-to-start timeout right after its WorkflowTaskScheduled, and no other timeout there', () => {
    const timedOut = (timeoutType: number) => [
      ...good.slice(0, 2),
      {
        eventId: 3,
        eventTime: t,
        eventType: 8,
        workflowTaskTimedOutEventAttributes: { scheduledEventId: 2, timeoutType },
      },
    ];
    expect(historyShapeProblems(timedOut(2))).toEqual([]);
    expect(historyShapeProblems(timedOut(1)).join()).toMatch(/does not directly follow WorkflowTaskStarted/);
  });

  it('rejects ActivityTaskStarted separated from its outcome, and gaps in event ids', () => {
    const bad = [
      ...good.slice(0, 6),
      { eventId: 8, eventTime: t, eventType: 12, activityTaskCompletedEventAttributes: { startedEventId: 6 } },
    ];
    const problems = historyShapeProblems(bad).join();
    expect(problems).toMatch(/breaks the 1, 2, 3/);
    const split = [
      ...good.slice(0, 6),
      { eventId: 7, eventTime: t, eventType: 26, workflowExecutionSignaledEventAttributes: {} },
    ];
    expect(historyShapeProblems(split).join()).toMatch(/not directly followed by its outcome/);
  });
});
