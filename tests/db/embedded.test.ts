import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrap } from '../../db/bootstrap';
import { createDb } from '../../db/client';
import { createSecretCipher, loadEncryptionKey } from '../../db/crypto';
import { apiTokens, organizations } from '../../db/schema';
import { hashApiToken } from '../../db/tokens';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiln-embedded-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('embedded database (PGlite)', () => {
  it('migrates, bootstraps once and keeps data across restarts', async () => {
    const first = await createDb({ dataDir });
    await first.migrate();
    const boot = await ensureBootstrap(first.db, { dataDir });
    expect(boot.created).toBe(true);
    const tokenFile = path.join(dataDir, 'admin-token');
    expect(boot.tokenFile).toBe(tokenFile);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    const [stored] = await first.db.select().from(apiTokens);
    expect(stored!.tokenHash).toBe(hashApiToken(token));
    expect(stored!.tokenHash).not.toContain(token);
    await first.close();

    const second = await createDb({ dataDir });
    await second.migrate();
    expect((await ensureBootstrap(second.db, { dataDir })).created).toBe(false);
    expect(await second.db.select().from(organizations)).toHaveLength(1);
    await second.close();
  });
});

describe('secret encryption', () => {
  it('generates a 0600 key once in embedded mode and round-trips secrets', async () => {
    const key = await loadEncryptionKey({ dataDir });
    expect((await stat(path.join(dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);
    expect((await loadEncryptionKey({ dataDir })).equals(key)).toBe(true);
    const cipher = createSecretCipher(key);
    const sealed = cipher.encrypt('glpat-secret');
    expect(sealed).not.toContain('glpat');
    expect(cipher.encrypt('glpat-secret')).not.toBe(sealed);
    expect(cipher.decrypt(sealed)).toBe('glpat-secret');
  });

  it('uses the key from the environment and refuses a wrong key or a tampered value', async () => {
    const env = Buffer.alloc(32, 7).toString('base64');
    const cipher = createSecretCipher(await loadEncryptionKey({ key: env, dataDir }));
    const sealed = cipher.encrypt('hunter2');
    const other = createSecretCipher(Buffer.alloc(32, 8));
    expect(() => other.decrypt(sealed)).toThrow(/KILN_ENCRYPTION_KEY/);
    const tampered = `${sealed.slice(0, -4)}AAA=`;
    expect(() => cipher.decrypt(tampered)).toThrow();
    await expect(loadEncryptionKey({ key: 'short', dataDir })).rejects.toThrow(/32 random bytes/);
  });
});
