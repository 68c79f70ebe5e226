// Temporal for tests: the in-process Kiln devserver by default, or a real cluster when TEMPORAL_ADDRESS is set.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogEntry,
  type ReplayWorkerOptions,
} from '@temporalio/worker';
import { generateApiKey } from '../../devserver/api-key';
import { startDevServer, type DevServer } from '../../devserver/server';
import { temporalConnectionOptions, type TemporalTarget } from '../../worker/temporal-connection';

/** A Temporal endpoint for one test file, with a client and a worker connection. */
export interface TestTemporal {
  address: string;
  namespace: string;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  /** The in-process devserver, or undefined when TEMPORAL_ADDRESS points at a real server. */
  devServer: DevServer | undefined;
  /** Where the connections go, for a test that needs one more of its own (`temporalConnectionOptions`). */
  target?: TemporalTarget;
  stop(): Promise<void>;
}

const sdkProblems: LogEntry[] = [];
const EXPECTED_WARNINGS = [
  'Activity failed',
  'Workflow failed',
  'Activity error',
  'Completed activity with cancellation',
];

// The SDK reports wrong histories (nondeterminism, unexpected events) as WARN/ERROR log lines; keep them so
// suites can assert there were none. Runtime.install only works before the runtime is first used.
function installRuntimeLogger(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        sdkProblems.push(entry);
        // Activity and workflow failures are what many tests provoke on purpose; print only the rest.
        if (!EXPECTED_WARNINGS.includes(entry.message))
          console.warn(`[sdk ${entry.level}] ${entry.message}`, entry.meta ?? '');
      }),
    });
  } catch {
    // Already installed by an earlier suite in this process.
  }
}

/** SDK warnings and errors logged so far in this process. */
export function sdkLogProblems(): LogEntry[] {
  return [...sdkProblems];
}

/** Starts (or connects to) Temporal: uses TEMPORAL_ADDRESS when set, else startDevServer({ port: 0 }) in-process. */
export async function startTestTemporal(): Promise<TestTemporal> {
  installRuntimeLogger();
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const external = process.env.TEMPORAL_ADDRESS;
  // KILN_TEST_DEVSERVER_DB=1 runs the same suites against a devserver that commits to a database.
  const dbFilename = process.env.KILN_TEST_DEVSERVER_DB
    ? path.join(await mkdtemp(path.join(os.tmpdir(), 'kiln-devserver-db-')), 'state.db')
    : undefined;
  // The in-process devserver requires a key, as Kiln's embedded one does, so every suite proves the SDK sends it.
  const apiKey = external ? process.env.TEMPORAL_API_KEY || undefined : generateApiKey();
  const devServer = external ? undefined : await startDevServer({ port: 0, dbFilename, apiKey });
  const address = external ?? devServer!.address;
  const target = { address, apiKey, tls: external ? undefined : false };
  const connection = await Connection.connect(temporalConnectionOptions(target));
  const client = new Client({ connection, namespace });
  const nativeConnection = await NativeConnection.connect(temporalConnectionOptions(target));
  return {
    address,
    namespace,
    connection,
    client,
    nativeConnection,
    devServer,
    target,
    async stop() {
      await nativeConnection.close();
      await connection.close();
      await devServer?.stop();
      if (dbFilename) await rm(path.dirname(dbFilename), { recursive: true, force: true });
    },
  };
}

/** Replays a finished workflow's history with Worker.runReplayHistory; throws on any nondeterminism. */
export async function replayWorkflow(
  client: Client,
  options: ReplayWorkerOptions,
  workflowId: string,
  runId?: string,
): Promise<void> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  await Worker.runReplayHistory(options, history, workflowId);
}
