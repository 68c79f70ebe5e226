import type { SecretCipher } from '../../db/crypto';
import { applySecretBuildArgChanges, openSecretBuildArgs, sealSecretBuildArgs } from '../../db/secret-build-args';
import { apiError } from '../errors';

/** Most secret build args one service may hold. */
export const maxSecretBuildArgs = 50;

/** The stored names, for responses (values never leave the server); empty when the key cannot read them. */
export function secretBuildArgNames(cipher: SecretCipher, sealed: string | null): string[] {
  return Object.keys(readStored(cipher, sealed)).sort();
}

/**
 * The column value after a save: `changes` (null deletes a name, a string sets it) applied to what is stored,
 * or what is stored when the save leaves secrets out. Refuses a name that would be both plain and secret.
 */
export function nextSecretBuildArgs(
  cipher: SecretCipher,
  input: { sealed: string | null; buildArgs: Record<string, string>; changes?: Record<string, string | null> },
): string | null {
  const stored = readStored(cipher, input.sealed);
  const next = input.changes ? applySecretBuildArgChanges(stored, input.changes) : stored;
  const both = Object.keys(next).filter((name) => Object.hasOwn(input.buildArgs, name));
  if (both.length > 0) {
    throw apiError(
      400,
      `Build arg ${both.join(', ')} cannot be both a plain and a secret build arg: remove it from buildArgs, or delete the secret with secretBuildArgs: { "${both[0]}": null }.`,
    );
  }
  if (Object.keys(next).length > maxSecretBuildArgs) {
    throw apiError(400, `A service can hold at most ${maxSecretBuildArgs} secret build args; delete some first.`);
  }
  return input.changes ? sealSecretBuildArgs(cipher, next) : input.sealed;
}

/** Stored under another KILN_ENCRYPTION_KEY reads as empty: a save that sends secrets starts afresh. */
function readStored(cipher: SecretCipher, sealed: string | null): Record<string, string> {
  try {
    return openSecretBuildArgs(cipher, sealed);
  } catch {
    return {};
  }
}
