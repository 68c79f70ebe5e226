import path from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../api/deps';
import { ensureBootstrap } from '../db/bootstrap';
import type { BootstrapResult } from '../db/bootstrap';
import { createDb } from '../db/client';
import type { DbHandle } from '../db/client';
import { createSecretCipher, loadEncryptionKey } from '../db/crypto';
import type { SecretCipher } from '../db/crypto';
import { protectDataDir } from '../worker/data-dir';

/** The settings both the one-process server and the API-only process take from their environment. */
export interface KilnDatabaseSettings {
  DATABASE_URL?: string;
  KILN_DATA_DIR: string;
  KILN_ENCRYPTION_KEY?: string;
}

/** An open, migrated database with its first organization, and the cipher for its secrets. */
export interface KilnDatabase {
  database: DbHandle;
  cipher: SecretCipher;
  bootstrap: BootstrapResult;
}

/** Opens the database (PostgreSQL or embedded PGlite), applies migrations and creates the first admin once. */
export async function openKilnDatabase(settings: KilnDatabaseSettings, logger: Logger): Promise<KilnDatabase> {
  const database = await createDb({ databaseUrl: settings.DATABASE_URL, dataDir: settings.KILN_DATA_DIR });
  try {
    await database.migrate();
    // PGlite unpacks its initial cluster with explicit 0666 modes, past the umask: take them back once it exists.
    await protectDataDir(settings.KILN_DATA_DIR);
    const bootstrap = await ensureBootstrap(database.db, { dataDir: settings.KILN_DATA_DIR });
    if (bootstrap.tokenFile) logger.info({ file: bootstrap.tokenFile }, 'Admin API token written');
    const key = await loadEncryptionKey({ key: settings.KILN_ENCRYPTION_KEY, dataDir: settings.KILN_DATA_DIR });
    return { database, cipher: createSecretCipher(key), bootstrap };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Where `ensureBootstrap` writes the admin token for a data dir (none for in-memory test databases). */
export function adminTokenFile(dataDir: string | undefined): string | undefined {
  return dataDir && dataDir !== 'memory://' ? path.resolve(dataDir, 'admin-token') : undefined;
}

/** The URLs and names the API shows users, from the environment. */
export function appConfigFrom(env: {
  PORT: number;
  KILN_PUBLIC_URL?: string;
  KILN_LOCAL_URL?: string;
  TEMPORAL_NAMESPACE: string;
  KILN_TEMPORAL_UI_URL?: string;
  KILN_LOCAL_ISOLATION?: 'oci' | 'chroot';
  KILN_DATA_DIR?: string;
}): AppConfig {
  return {
    adminTokenFile: adminTokenFile(env.KILN_DATA_DIR),
    publicUrl: env.KILN_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    localUrl: env.KILN_LOCAL_URL,
    temporalNamespace: env.TEMPORAL_NAMESPACE,
    temporalUiUrl: env.KILN_TEMPORAL_UI_URL,
    localIsolation: env.KILN_LOCAL_ISOLATION,
  };
}
