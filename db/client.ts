import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

/** The typed Drizzle client, the same shape for PostgreSQL and the embedded PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Which database Kiln uses: PostgreSQL by URL, or the embedded PGlite in the data folder. */
export interface DbConfig {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** Kiln's data folder (`./.kiln`); PGlite keeps its files in `<dataDir>/pgdata`, or memory for `memory://`. */
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

/** An open database with its driver, its migrations and a way to close it. */
export interface DbHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** Applies the committed drizzle-kit migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works; it only has to be the same in every Kiln process sharing a database.
const MIGRATION_LOCK_ID = 7_406_113;

/** Opens the database for either driver. Call `migrate()` before first use. */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.poolSize ?? 10);
  return openPglite(config.dataDir);
}

function openPostgres(url: string, max: number): DbHandle {
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    async migrate() {
      // A dedicated session holds the advisory lock so API and worker processes never migrate twice at once.
      const session = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await session`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
        await migratePostgres(drizzlePostgres(session), { migrationsFolder });
        await session`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
      } finally {
        await session.end();
      }
    },
    close: () => client.end(),
  };
}

async function openPglite(dataDir: string): Promise<DbHandle> {
  let client: PGlite;
  if (dataDir === 'memory://') {
    client = new PGlite();
  } else {
    const folder = path.join(dataDir, 'pgdata');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    client = new PGlite(folder);
  }
  const pglite = drizzlePglite(client, { schema });
  return {
    db: pglite as unknown as Database,
    driver: 'pglite',
    migrate: () => migratePglite(pglite, { migrationsFolder }),
    close: () => client.close(),
  };
}
