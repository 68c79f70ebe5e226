import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { apiTokens, organizations, users } from './schema';
import { generateApiToken, hashApiToken } from './tokens';

/** What the first start created: whether it made the admin, and where its token is. */
export interface BootstrapResult {
  /** True when this call created the default organization and admin. */
  created: boolean;
  /** Where the admin token was written (embedded/file mode). */
  tokenFile?: string;
  /** The admin token, returned only for `memory://` data dirs (tests) where no file is written. */
  adminToken?: string;
}

/**
 * On an empty database, creates organization "default" and an admin user, and writes the admin API token to
 * `<dataDir>/admin-token` (0600). Safe when several processes start together: only one creates them.
 */
export async function ensureBootstrap(db: Database, options: { dataDir: string }): Promise<BootstrapResult> {
  const token = generateApiToken();
  const created = await db.transaction(async (tx) => {
    // Serialises concurrent first starts; the loser sees the organization and stops.
    await tx.execute(sql`select pg_advisory_xact_lock(7406114)`);
    const existing = await tx.select({ id: organizations.id }).from(organizations).limit(1);
    if (existing.length > 0) return false;
    const [org] = await tx.insert(organizations).values({ name: 'default' }).returning();
    const [admin] = await tx
      .insert(users)
      .values({ organizationId: org!.id, name: 'admin', role: 'instance_admin' })
      .returning();
    await tx.insert(apiTokens).values({ userId: admin!.id, name: 'bootstrap', tokenHash: hashApiToken(token) });
    return true;
  });
  if (!created) return { created: false };
  if (options.dataDir === 'memory://') return { created: true, adminToken: token };
  await mkdir(options.dataDir, { recursive: true });
  const tokenFile = path.join(options.dataDir, 'admin-token');
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  await chmod(tokenFile, 0o600);
  return { created: true, tokenFile };
}
