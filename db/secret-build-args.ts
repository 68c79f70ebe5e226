import { isUntrustedChange, type ChangeOrigin } from '../domain/merge-request';
import type { SecretCipher } from './crypto';

/** Build-arg names Kiln accepts, plain or secret: shell variable names (also valid Secret keys and secret ids). */
export const buildArgNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Decrypts the `auto_ci_settings.secret_build_args_enc` column; an empty map when nothing is stored. */
export function openSecretBuildArgs(cipher: SecretCipher, sealed: string | null | undefined): Record<string, string> {
  if (!sealed) return {};
  const parsed: unknown = JSON.parse(cipher.decrypt(sealed));
  if (parsed == null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Encrypts a secret build-arg map for the column; null when it is empty (nothing worth storing). */
export function sealSecretBuildArgs(cipher: SecretCipher, args: Record<string, string>): string | null {
  return Object.keys(args).length === 0 ? null : cipher.encrypt(JSON.stringify(args));
}

/** Applies a write: a string sets or replaces that secret, `null` deletes it, names left out keep their value. */
export function applySecretBuildArgChanges(
  current: Record<string, string>,
  changes: Record<string, string | null>,
): Record<string, string> {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/**
 * Whether a build is trusted: only those receive the service's secret build args and share the layer cache.
 * Merge request and pull request builds are not: the builds table does not record whether the source was a fork,
 * and their code is not reviewed yet. (The seam for a finer rule once builds record their source project.)
 */
export function receivesSecretBuildArgs(build: ChangeOrigin): boolean {
  return !isUntrustedChange(build);
}

/**
 * What a log redactor must hide for these values: each value and each of its lines (a multi-line value is
 * printed line by line), skipping fragments too short to redact without mangling the log.
 */
export function secretBuildArgRedactions(args: Record<string, string>): string[] {
  const forms = Object.values(args).flatMap((value) => [value, ...value.split(/\r?\n/).map((line) => line.trim())]);
  return [...new Set(forms.filter((form) => form.length >= 4))];
}
