import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateApiKey } from '../devserver/api-key';
import { startDevServer, type DevServer } from '../devserver/server';
import type { TemporalTarget } from '../worker/temporal-connection';

/** The Temporal service Kiln talks to: a real cluster, or the embedded devserver this process started. */
export interface Engine extends TemporalTarget {
  embedded: boolean;
  stop(): Promise<void>;
}

/** Which engine to use: a real cluster by address, or the embedded devserver in the data folder. */
export interface EngineOptions {
  /** A real Temporal cluster (`host:port`); when absent the embedded devserver is started. */
  temporalAddress?: string;
  /** API key for the real cluster (TEMPORAL_API_KEY). */
  temporalApiKey?: string;
  /** TLS towards the real cluster; unset follows the SDK (on when an API key is given). */
  temporalTls?: boolean;
  dataDir: string;
  /** KILN_DEVSERVER_PORT: pins the embedded devserver's port (0 = any free one); unset tries 7233, then any. */
  devserverPort?: number;
}

/** File under KILN_DATA_DIR holding the embedded engine's API key. */
export const ENGINE_KEY_FILE = 'temporal-api-key';

/**
 * Chooses the engine: `TEMPORAL_ADDRESS` wins; otherwise Kiln runs its own devserver on loopback, persisting under
 * the data dir and admitting only callers with the key stored next to it (so other local users cannot list or
 * cancel workflows).
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  if (options.temporalAddress) {
    return {
      address: options.temporalAddress,
      apiKey: options.temporalApiKey,
      tls: options.temporalTls,
      embedded: false,
      stop: async () => undefined,
    };
  }
  const apiKey = await loadEngineKey(options.dataDir);
  const devserver = await startEmbedded(options.devserverPort, (port) =>
    startDevServer({
      ip: '127.0.0.1',
      port,
      dbFilename: options.dataDir === 'memory://' ? undefined : path.join(options.dataDir, 'temporal.db'),
      apiKey,
    }),
  );
  return { address: devserver.address, apiKey, tls: false, embedded: true, stop: () => devserver.stop() };
}

/** Temporal's usual port: the embedded engine takes it when KILN_DEVSERVER_PORT is unset and it is free. */
export const USUAL_ENGINE_PORT = 7233;

const inUse = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

/** A pinned port must be free; otherwise 7233 when free (a Temporal dev server or another Kiln may hold it), or any. */
async function startEmbedded(pinned: number | undefined, start: (port: number) => Promise<DevServer>) {
  if (pinned === undefined)
    return start(USUAL_ENGINE_PORT).catch((err) => (inUse(err) ? start(0) : Promise.reject(err)));
  return start(pinned).catch((err: unknown) => {
    if (!inUse(err)) throw err;
    throw new Error(
      `KILN_DEVSERVER_PORT=${pinned}: 127.0.0.1:${pinned} is already in use (another Temporal dev server or Kiln?); ` +
        'set KILN_DEVSERVER_PORT to a free port, or unset it to let Kiln take 7233 or any free port',
    );
  });
}

/** The embedded engine's key: generated once (0600) and reused, so a restarted Kiln keeps talking to its workflows. */
async function loadEngineKey(dataDir: string): Promise<string> {
  if (dataDir === 'memory://') return generateApiKey();
  const file = path.join(dataDir, ENGINE_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // `wx`: two processes starting together keep the first one's key.
  await writeFile(file, `${generateApiKey()}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  const key = (await readFile(file, 'utf8')).trim();
  if (key.length < 16)
    throw new Error(`${file} holds no usable key; delete it and start Kiln again to make a new one.`);
  return key;
}
