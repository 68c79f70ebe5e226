// startDevServer: Kiln's embedded Temporal-compatible WorkflowService on grpc-js (in memory, optionally persisted).
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { apiKeyCheck } from './api-key';
import {
  DEFAULT_HISTORY_LIMITS,
  DEFAULT_PAYLOAD_LIMITS,
  type ActivityQueueItem,
  type Ctx,
  type DevServerLogger,
  type HistoryLimits,
  type PayloadLimits,
} from './context';
import { devServerServices } from './grpc-service';
import { ensureNamespace } from './namespaces';
import { openPersistence, type Persistence } from './persistence';
import { rearmAll } from './rearm';
import { startRetention } from './retention';
import { Scheduler } from './scheduler';
import { isClosed, type ServerState } from './state';
import { TaskQueues } from './task-queues';
import { workflowItemLive } from './workflow-tasks';

/** Options of startDevServer; port 0 picks an ephemeral port. */
export interface DevServerOptions {
  ip?: string;
  port?: number;
  /** Persist state to this SQLite file (needs Node 24): every change is on disk before its RPC is answered. */
  dbFilename?: string;
  logger?: DevServerLogger;
  /** When set, every call must carry `authorization: Bearer <apiKey>`; others get UNAUTHENTICATED. */
  apiKey?: string;
  /** Overrides of when continue-as-new is suggested (tests lower them to reach them in seconds). */
  historyLimits?: Partial<HistoryLimits>;
  /** Overrides of the blob and memo size limits (`--dynamic-config-value limit.blobSize.error=…` on the CLI). */
  payloadLimits?: Partial<PayloadLimits>;
}

/** A running devserver. */
export interface DevServer {
  /** `ip:port`, e.g. "127.0.0.1:7233". */
  address: string;
  port: number;
  stop(): Promise<void>;
}

const silentLogger: DevServerLogger = { info() {}, warn() {}, error() {}, debug() {} };
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

function createContext(
  state: ServerState,
  log: DevServerLogger,
  persistence: Persistence | null,
  limits: Pick<Ctx, 'historyLimits' | 'payloadLimits'>,
) {
  const watchers = new Map<string, Set<() => void>>();
  const scheduler = new Scheduler((err) => log.error({ err }, 'devserver timer callback failed'));
  const ctx: Ctx = {
    state,
    scheduler,
    log,
    ...limits,
    workflowQueues: new TaskQueues((item, key) => workflowItemLive(ctx, item, key)),
    activityQueues: new TaskQueues<ActivityQueueItem>((item) => {
      const run = state.runs.get(item.runId);
      const act = run?.activities.get(item.scheduledEventId);
      const current = act?.state === 'scheduled' && act.attempt === item.attempt;
      return !!run && !isClosed(run) && current && (item.nonce === undefined || item.nonce === act.nonce);
    }),
    changed(run) {
      for (const check of [...(watchers.get(run.runId) ?? [])]) check();
      persistence?.scheduleWrite(run.runId);
    },
    persist() {
      persistence?.scheduleWrite();
    },
    durable: () => persistence?.durable() ?? Promise.resolve(),
    waitUntil(runId, ms, done) {
      return new Promise<void>((resolve) => {
        if (done()) return resolve();
        let set = watchers.get(runId);
        if (!set) watchers.set(runId, (set = new Set()));
        const finish = () => {
          clearTimeout(timer);
          set.delete(check);
          if (set.size === 0) watchers.delete(runId);
          resolve();
        };
        const check = () => done() && finish();
        const timer = setTimeout(finish, ms);
        set.add(check);
      });
    },
  };
  return { ctx, scheduler };
}

/** Listens on ip:port; a taken port rejects with an error whose `code` is EADDRINUSE. */
function bind(server: Server, ip: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${ip}:${port}`, ServerCredentials.createInsecure(), (err, bound) => {
      if (!err) return resolve(bound);
      if (!/EADDRINUSE/.test(err.message)) return reject(err);
      reject(Object.assign(new Error(`${ip}:${port} is already in use`), { code: 'EADDRINUSE' }));
    });
  });
}

/** Starts the devserver; resolves once it listens. The namespace `default` exists from the start. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const log = options.logger ?? silentLogger;
  const persistence = options.dbFilename ? await openPersistence(options.dbFilename, log) : null;
  const state: ServerState = persistence?.state ?? { namespaces: new Map(), runs: new Map(), latest: new Map() };
  const { ctx, scheduler } = createContext(state, log, persistence, {
    historyLimits: { ...DEFAULT_HISTORY_LIMITS, ...options.historyLimits },
    payloadLimits: { ...DEFAULT_PAYLOAD_LIMITS, ...options.payloadLimits },
  });
  ensureNamespace(ctx, 'default');
  if (persistence) rearmAll(ctx);
  const stopRetention = startRetention(ctx);
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  for (const { definition, implementation } of devServerServices(
    ctx,
    options.apiKey ? apiKeyCheck(options.apiKey) : undefined,
  )) {
    server.addService(definition, implementation);
  }
  const port = await bind(server, ip, options.port ?? 7233).catch(async (err: unknown) => {
    stopRetention();
    scheduler.stop();
    await persistence?.close();
    throw err;
  });
  let stopped = false;
  return {
    address: `${ip.includes(':') ? `[${ip}]` : ip}:${port}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopRetention();
      scheduler.stop();
      server.forceShutdown();
      await persistence?.close();
    },
  };
}
