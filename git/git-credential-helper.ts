import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variables the helper reads; they are set on the git child only. */
export const originVariable = 'KILN_GIT_ORIGIN';
const usernameVariable = 'KILN_GIT_USERNAME';
const passwordVariable = 'KILN_GIT_PASSWORD';

/**
 * The body of a git credential helper that answers `get` only for the origin in `$KILN_GIT_ORIGIN`. Git asks it
 * per URL (the clone, every submodule, a redirect's new host) with `protocol=` and `host=` (host[:port] as
 * written); it normalises them as `domain/credentials.ts` `originOf` does (lower case, default port dropped) and
 * runs `answer` only on an exact match. One line of `;`-joined POSIX sh without single quotes, so the build pod
 * can inline it as `credential.helper` too. It holds no secret: `answer` reads them from env or files.
 */
export function originBoundHelper(answer: string): string {
  return [
    'test "$1" = get || exit 0',
    'p=; h=',
    'while IFS= read -r l; do case "$l" in protocol=*) p=${l#protocol=} ;; host=*) h=${l#host=} ;; "") break ;; esac; done',
    'h=$(printf %s "$h" | tr "[:upper:]" "[:lower:]")',
    'case "$p:$h" in https:*:443) h=${h%:443} ;; http:*:80) h=${h%:80} ;; esac',
    `test -n "$${originVariable}" && test "$p://$h" = "$${originVariable}" || exit 0`,
    answer,
  ].join('; ');
}

/** The worker's helper: the credentials come from the git child's environment. */
export const credentialHelperScript = `#!/bin/sh
${originBoundHelper(`printf "username=%s\\npassword=%s\\n" "$${usernameVariable}" "$${passwordVariable}"`)}
`;

/** A username and token, bound to the one origin they may be sent to. */
export interface GitCredentials {
  username: string;
  password: string;
  /** The only origin (`scheme://host[:port]`, normalised) these credentials are given to. */
  origin: string;
}

/** The environment that points git at the credential helper, and its cleanup. */
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
