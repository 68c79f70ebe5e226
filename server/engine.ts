import path from 'node:path';
import { startDevServer } from '../devserver/server';

/** The Temporal service Kiln talks to: a real cluster, or the embedded devserver this process started. */
export interface Engine {
  address: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** A real Temporal cluster (`host:port`); when absent the embedded devserver is started. */
  temporalAddress?: string;
  dataDir: string;
  /** Port of the embedded devserver (0 picks a free one). */
  devserverPort: number;
}

/** Chooses the engine: `TEMPORAL_ADDRESS` wins; otherwise Kiln runs its own devserver persisting under the data dir. */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  if (options.temporalAddress) {
    return { address: options.temporalAddress, embedded: false, stop: async () => undefined };
  }
  const devserver = await startDevServer({
    ip: '127.0.0.1',
    port: options.devserverPort,
    dbFilename: path.join(options.dataDir, 'temporal.db'),
  });
  return { address: devserver.address, embedded: true, stop: () => devserver.stop() };
}
