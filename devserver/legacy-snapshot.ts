// Devservers before the database wrote one JSON snapshot to --db-filename. Such a file is moved aside to
// `<file>.v1.json` and its runs are handed over, so an upgrade keeps every workflow.
import { open, readFile, rename } from 'node:fs/promises';
import type { DevServerLogger } from './context';
import { api, type HistoryEvent } from './proto';
import { decodeRunState } from './run-codec';
import type { ServerState } from './state';

type Json = Record<string, unknown>;
const { HistoryEvent: HistoryEventMsg } = api.history.v1;

async function startsWithBrace(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, 0);
    return bytesRead === 1 && buffer[0] === '{'.charCodeAt(0);
  } finally {
    await handle.close();
  }
}

/** When `file` is a v1 snapshot: moves it aside and returns its state; otherwise null. */
export async function importLegacySnapshot(file: string, log: DevServerLogger): Promise<ServerState | null> {
  if (!(await startsWithBrace(file))) return null;
  const json = JSON.parse(await readFile(file, 'utf8')) as { version: number; namespaces: Json[]; runs: Json[] };
  if (json.version !== 1) throw new Error(`unsupported devserver snapshot format ${json.version} in ${file}`);
  const state: ServerState = { namespaces: new Map(), runs: new Map(), latest: new Map() };
  for (const ns of json.namespaces as unknown as { name: string; id: string; retentionDays: number }[])
    state.namespaces.set(ns.name, ns);
  for (const raw of json.runs) {
    const { history, ...rest } = raw as { history: Json[] } & Json;
    const events = history.map((e) => HistoryEventMsg.fromObject(e) as HistoryEvent);
    const run = decodeRunState(JSON.stringify(rest), events);
    state.runs.set(run.runId, run);
  }
  await rename(file, `${file}.v1.json`);
  log.info({ file, runs: state.runs.size, movedTo: `${file}.v1.json` }, 'devserver JSON snapshot imported');
  return state;
}
