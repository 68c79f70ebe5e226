import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts and decrypts secrets stored in the database (AES-256-GCM, random IV per value). */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** Builds a cipher from a 32-byte key. Sealed values look like `v1.<base64 iv|tag|ciphertext>`. */
export function createSecretCipher(key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new Error(`Encryption key must be ${KEY_BYTES} bytes, got ${key.length}.`);
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      const [version, data] = sealed.split('.', 2);
      if (version !== VERSION || !data) throw new Error('Stored secret has an unknown format; re-enter it.');
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(
          'Stored secret cannot be decrypted: KILN_ENCRYPTION_KEY differs from the key used to store it.',
        );
      }
    },
  };
}

/** Parses a base64 key from the environment, failing with a message that says how to make one. */
export function parseEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(
      `KILN_ENCRYPTION_KEY must be base64 of ${KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

/**
 * Returns the encryption key: from the environment when given, otherwise from `<dataDir>/encryption.key`,
 * generating it (mode 0600) on first start in embedded mode.
 */
export async function loadEncryptionKey(options: { key?: string; dataDir: string }): Promise<Buffer> {
  if (options.key) return parseEncryptionKey(options.key);
  if (options.dataDir === 'memory://') return randomBytes(KEY_BYTES);
  const file = path.join(options.dataDir, 'encryption.key');
  try {
    return parseEncryptionKey((await readFile(file, 'utf8')).trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // `wx` so two processes starting together cannot overwrite each other's key.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  return parseEncryptionKey((await readFile(file, 'utf8')).trim());
}
