// How a run is written to the devserver's database: its live state as JSON (everything but the history, which is
// stored event by event as protobuf), so a change costs the run's pending state plus its new events.
import { api, attrField, eventTypeOf, type EventName, type HistoryEvent, type Payload } from './proto';
import type { ActivityState, BufferedEvent, ChildState, TimerState, UpdateRecord, WorkflowRun } from './state';

const { HistoryEvent: HistoryEventMsg } = api.history.v1;
const { Payload: PayloadMsg, Payloads: PayloadsMsg } = api.common.v1;
const { Failure: FailureMsg } = api.failure.v1;
const { Request: UpdateRequestMsg } = api.update.v1;

type Json = Record<string, unknown>;
const toJson = (msg: object | null | undefined): unknown => (msg ? (msg as { toJSON(): unknown }).toJSON() : null);

function payloadMapToJson(map: Record<string, Payload>): Json {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toJson(PayloadMsg.fromObject(v))]));
}
function payloadMapFromJson(json: Json): Record<string, Payload> {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, PayloadMsg.fromObject(v as Json)]));
}

// Buffered attributes are plain objects holding protobuf values; a HistoryEvent round trip gives them JSON form.
function bufferedToJson(item: BufferedEvent): Json {
  const event = HistoryEventMsg.fromObject({ eventType: eventTypeOf(item.name), [attrField(item.name)]: item.attrs });
  return { ...item, attrs: (toJson(event) as Json)[attrField(item.name)] };
}
function bufferedFromJson(json: Json): BufferedEvent {
  const item = json as unknown as BufferedEvent;
  const event = HistoryEventMsg.fromObject({ [attrField(item.name)]: json.attrs });
  return { ...item, attrs: event[attrField(item.name as EventName)] as unknown as Record<string, unknown> };
}

// An update's request holds payloads (bytes), so it is kept in its protobuf JSON form.
function updatesToJson(updates: Map<string, UpdateRecord>): Json[] {
  return [...updates.values()].map((u) => ({
    ...u,
    request: u.request ? toJson(UpdateRequestMsg.fromObject(u.request)) : null,
  }));
}
function updatesFromJson(json: Json[] | undefined): Map<string, UpdateRecord> {
  const records = (json ?? []).map((u) => ({
    ...(u as unknown as UpdateRecord),
    request: u.request ? UpdateRequestMsg.fromObject(u.request as Json) : null,
  }));
  return new Map(records.map((u) => [u.updateId, u]));
}

/** The run without its history, as JSON text. */
export function encodeRunState(run: WorkflowRun): string {
  const { history: _history, queries: _queries, ...rest } = run;
  return JSON.stringify({
    ...rest,
    buffered: run.buffered.map(bufferedToJson),
    activities: [...run.activities.values()].map((a) => ({
      ...a,
      heartbeatDetails: a.heartbeatDetails ? toJson(PayloadsMsg.fromObject(a.heartbeatDetails)) : null,
      lastFailure: a.lastFailure ? toJson(FailureMsg.fromObject(a.lastFailure)) : null,
    })),
    timers: [...run.timers.values()],
    children: [...run.children.values()],
    searchAttributes: payloadMapToJson(run.searchAttributes),
    memo: payloadMapToJson(run.memo),
    updates: updatesToJson(run.updates),
  });
}

/** A run from its stored state and history (pass `[]` for a skeleton that only visibility reads). */
export function decodeRunState(text: string, history: HistoryEvent[]): WorkflowRun {
  const json = JSON.parse(text) as Json;
  const activities = (json.activities as Json[]).map((a) => ({
    ...(a as unknown as ActivityState),
    heartbeatDetails: a.heartbeatDetails ? PayloadsMsg.fromObject(a.heartbeatDetails as Json) : null,
    lastFailure: a.lastFailure ? FailureMsg.fromObject(a.lastFailure as Json) : null,
  }));
  return {
    ...(json as unknown as WorkflowRun),
    history,
    buffered: (json.buffered as Json[]).map(bufferedFromJson),
    activities: new Map(activities.map((a) => [a.scheduledEventId, a])),
    timers: new Map((json.timers as TimerState[]).map((t) => [t.timerId, t])),
    children: new Map((json.children as ChildState[]).map((c) => [c.initiatedEventId, c])),
    searchAttributes: payloadMapFromJson(json.searchAttributes as Json),
    memo: payloadMapFromJson(json.memo as Json),
    queries: [],
    // Runs stored before updates existed have none.
    updates: updatesFromJson(json.updates as Json[] | undefined),
  };
}

/** One history event in its wire form. */
export function encodeEvent(event: HistoryEvent): Uint8Array {
  return HistoryEventMsg.encode(event).finish();
}

/** One history event back from its wire form. */
export function decodeEvent(bytes: Uint8Array): HistoryEvent {
  return HistoryEventMsg.decode(bytes) as HistoryEvent;
}
