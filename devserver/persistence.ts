// --db-filename: the whole state is written as one JSON snapshot, atomically (temp file, fsync, rename),
// at most every WRITE_DELAY_MS after a change and on stop. Each run's JSON is cached and rebuilt only when the
// run changed, so a snapshot costs little more than writing the file. Simple and crash-safe at snapshot granularity: a crash
// loses at most the last WRITE_DELAY_MS of changes, never the file. Node 20 has no built-in SQLite, and a
// devserver's state is small, so a snapshot beats maintaining a journal with compaction.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { DevServerLogger } from './context';
import { api, attrField, eventTypeOf, type EventName, type HistoryEvent, type Payload } from './proto';
import type { ActivityState, BufferedEvent, ServerState, WorkflowRun } from './state';

const WRITE_DELAY_MS = 25;
const FORMAT_VERSION = 1;
const { HistoryEvent: HistoryEventMsg } = api.history.v1;
const { Payload: PayloadMsg, Payloads: PayloadsMsg } = api.common.v1;
const { Failure: FailureMsg } = api.failure.v1;

/** A persistence handle: the loaded state, and write scheduling. */
export interface Persistence {
  state: ServerState;
  /** Marks a run (or only the namespaces, without an id) changed and schedules a write. */
  scheduleWrite(runId?: string): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const toJson = (msg: object | null | undefined): unknown => (msg ? (msg as { toJSON(): unknown }).toJSON() : null);

function payloadMapToJson(map: Record<string, Payload>): Json {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toJson(PayloadMsg.fromObject(v))]));
}
function payloadMapFromJson(json: Json): Record<string, Payload> {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, PayloadMsg.fromObject(v as Json)]));
}

function bufferedToJson(item: BufferedEvent): Json {
  const event = HistoryEventMsg.fromObject({ eventType: eventTypeOf(item.name), [attrField(item.name)]: item.attrs });
  return { ...item, attrs: (toJson(event) as Json)[attrField(item.name)] };
}
function bufferedFromJson(json: Json): BufferedEvent {
  const item = json as unknown as BufferedEvent;
  const event = HistoryEventMsg.fromObject({ [attrField(item.name)]: json.attrs });
  return { ...item, attrs: event[attrField(item.name as EventName)] as unknown as Record<string, unknown> };
}

function runToJson(run: WorkflowRun): Json {
  return {
    ...run,
    history: run.history.map((e) => toJson(e as object)),
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
    queries: [],
  };
}

function runFromJson(json: Json): WorkflowRun {
  const run = json as unknown as WorkflowRun;
  const activities = (json.activities as Json[]).map((a) => ({
    ...(a as unknown as ActivityState),
    heartbeatDetails: a.heartbeatDetails ? PayloadsMsg.fromObject(a.heartbeatDetails as Json) : null,
    lastFailure: a.lastFailure ? FailureMsg.fromObject(a.lastFailure as Json) : null,
  }));
  return {
    ...run,
    history: (json.history as Json[]).map((e) => HistoryEventMsg.fromObject(e) as HistoryEvent),
    buffered: (json.buffered as Json[]).map(bufferedFromJson),
    activities: new Map(activities.map((a) => [a.scheduledEventId, a])),
    timers: new Map(
      (json.timers as WorkflowRun['timers'] extends Map<string, infer T> ? T[] : never).map((t) => [t.timerId, t]),
    ),
    children: new Map(
      (json.children as WorkflowRun['children'] extends Map<number, infer C> ? C[] : never).map((c) => [
        c.initiatedEventId,
        c,
      ]),
    ),
    searchAttributes: payloadMapFromJson(json.searchAttributes as Json),
    memo: payloadMapFromJson(json.memo as Json),
    queries: [],
  };
}

function serialize(state: ServerState, cache: Map<string, string>, dirty: Set<string>): string {
  for (const runId of cache.keys()) if (!state.runs.has(runId)) cache.delete(runId);
  for (const run of state.runs.values()) {
    if (dirty.has(run.runId) || !cache.has(run.runId)) cache.set(run.runId, JSON.stringify(runToJson(run)));
  }
  dirty.clear();
  const head = JSON.stringify({ version: FORMAT_VERSION, namespaces: [...state.namespaces.values()] });
  return `${head.slice(0, -1)},"runs":[${[...cache.values()].join(',')}]}`;
}

function deserialize(text: string): ServerState {
  const json = JSON.parse(text) as {
    version: number;
    namespaces: ServerState['namespaces'] extends Map<string, infer N> ? N[] : never;
    runs: Json[];
  };
  if (json.version !== FORMAT_VERSION) throw new Error(`unsupported devserver database format ${json.version}`);
  const state: ServerState = {
    namespaces: new Map(json.namespaces.map((n) => [n.name, n])),
    runs: new Map(),
    latest: new Map(),
  };
  for (const raw of json.runs) {
    const run = runFromJson(raw);
    state.runs.set(run.runId, run);
    const key = `${run.namespace}/${run.workflowId}`;
    const current = state.runs.get(state.latest.get(key) ?? '');
    if (!current || current.startTime <= run.startTime) state.latest.set(key, run.runId);
  }
  return state;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** Loads the snapshot at `file` (or starts empty) and returns a handle that keeps it up to date. */
export async function openPersistence(file: string, log: DevServerLogger): Promise<Persistence> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  let state: ServerState = { namespaces: new Map(), runs: new Map(), latest: new Map() };
  try {
    state = deserialize(await readFile(file, 'utf8'));
    log.info({ file, runs: state.runs.size }, 'devserver state loaded');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read devserver database ${file}: ${(err as Error).message}; move it away to start empty`);
  }
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const cache = new Map<string, string>();
  const dirty = new Set<string>();
  const flush = () => {
    timer = null;
    const text = serialize(state, cache, dirty);
    writing = writing
      .then(() => writeAtomically(file, text))
      .catch((err: unknown) => log.error({ err, file }, 'devserver state write failed'));
    return writing;
  };
  return {
    state,
    scheduleWrite(runId) {
      if (runId) dirty.add(runId);
      timer ??= setTimeout(flush, WRITE_DELAY_MS);
    },
    async close() {
      if (timer) clearTimeout(timer);
      await flush();
    },
  };
}
