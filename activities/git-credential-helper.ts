import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variables the helper reads; they are set on the git child only. */
const originVariable = 'KILN_GIT_ORIGIN';
const usernameVariable = 'KILN_GIT_USERNAME';
const passwordVariable = 'KILN_GIT_PASSWORD';

/**
 * A git credential helper that answers `get` only for one origin. Git asks it per URL (the clone, every
 * submodule, a redirect's new host) with `protocol=` and `host=` (host[:port] as written); it normalises them the
 * way `domain/credentials.ts` `originOf` does (lower case, default port dropped) and answers nothing for any
 * other origin. The script holds no secret: it reads the credentials from the git child's environment.
 */
export const credentialHelperScript = `#!/bin/sh
[ "$1" = get ] || exit 0
protocol=
host=
while IFS= read -r line; do
  case "$line" in
    protocol=*) protocol=\${line#protocol=} ;;
    host=*) host=\${line#host=} ;;
    '') break ;;
  esac
done
host=$(printf '%s' "$host" | tr '[:upper:]' '[:lower:]')
case "$protocol:$host" in
  https:*:443) host=\${host%:443} ;;
  http:*:80) host=\${host%:80} ;;
esac
[ -n "$${originVariable}" ] && [ "$protocol://$host" = "$${originVariable}" ] || exit 0
printf 'username=%s\\npassword=%s\\n' "$${usernameVariable}" "$${passwordVariable}"
`;

export interface GitCredentials {
  username: string;
  password: string;
  /** The only origin (`scheme://host[:port]`, normalised) these credentials are given to. */
  origin: string;
}

export interface CredentialHelperHandle {
  /** Variables to add to the git child's environment (git config through GIT_CONFIG_COUNT included). */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * Writes a private credential helper and returns the git child's env: every other credential source (helpers
 * from config, askpass programs, the terminal) is off, so git sends `credentials` to their origin or nothing.
 */
export async function createCredentialHelper(
  credentials: GitCredentials | null,
  config: Record<string, string>,
): Promise<CredentialHelperHandle> {
  // An empty GIT_ASKPASS stops git falling back to SSH_ASKPASS or a prompt when the helper has no answer.
  const base = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '' };
  // The first empty credential.helper resets any helper inherited from other config.
  const helpers: Array<[string, string]> = [['credential.helper', '']];
  if (credentials == null)
    return { env: { ...base, ...gitConfigEnv([...helpers, ...entries(config)]) }, dispose: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'kiln-git-credential-'));
  const file = path.join(dir, 'credential-helper.sh');
  await writeFile(file, credentialHelperScript, { mode: 0o700 });
  await chmod(file, 0o700);
  helpers.push(['credential.helper', `!'${file.replaceAll("'", `'\\''`)}'`]);
  return {
    env: {
      ...base,
      ...gitConfigEnv([...helpers, ...entries(config)]),
      [originVariable]: credentials.origin,
      [usernameVariable]: credentials.username,
      [passwordVariable]: credentials.password,
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

function entries(config: Record<string, string>): Array<[string, string]> {
  return Object.entries(config);
}

/** `git -c` without argv: GIT_CONFIG_COUNT/KEY_n/VALUE_n, also seen by submodule clones git starts itself. */
function gitConfigEnv(pairs: Array<[string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}
