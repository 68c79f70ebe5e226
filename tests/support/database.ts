import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type Database } from '../../db/client';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
// Every database this helper creates carries this prefix; `close()` refuses to drop anything else.
const PREFIX = 'kiln_test_';

export interface TestDatabase {
  url: string;
  db: Database;
  close(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database for one test file, dropped again by `close()`. */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `${PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const handle = await createDb({ databaseUrl: url, dataDir: 'memory://', poolSize: options.poolSize ?? 10 });
  await handle.migrate();
  return {
    url,
    db: handle.db,
    async close() {
      await handle.close();
      await dropTestDatabase(name);
    },
  };
}

async function dropTestDatabase(name: string): Promise<void> {
  if (!name.startsWith(PREFIX) || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`Refusing to drop ${name}: not a database created by createTestDatabase.`);
  }
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
