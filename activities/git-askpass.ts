import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variables the askpass helper reads; they are set on the git child only. */
const usernameVariable = 'KILN_GIT_USERNAME';
const passwordVariable = 'KILN_GIT_PASSWORD';

// The script holds no secret: git asks it for "Username for …" / "Password for …" and it answers from the
// child's environment, so the token never appears in argv, the URL or a file.
const script = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$${usernameVariable}" ;;
  *) printf '%s\\n' "$${passwordVariable}" ;;
esac
`;

export interface GitCredentials {
  username: string;
  password: string;
}

export interface AskpassHandle {
  /** Variables to add to the git child's environment. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** Writes a private askpass helper and returns the env that makes git use it with `credentials`. */
export async function createAskpass(credentials: GitCredentials | null): Promise<AskpassHandle> {
  const base: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  if (credentials == null) return { env: base, dispose: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'kiln-askpass-'));
  const file = path.join(dir, 'askpass.sh');
  await writeFile(file, script, { mode: 0o700 });
  await chmod(file, 0o700);
  return {
    env: {
      ...base,
      GIT_ASKPASS: file,
      [usernameVariable]: credentials.username,
      [passwordVariable]: credentials.password,
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
