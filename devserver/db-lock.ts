// One devserver per database file: `<file>.lock` names the process holding it. Two devservers on one file would
// both hand out the same tasks and overwrite each other's runs (two `npm start` on one KILN_DATA_DIR, now that
// the second no longer dies on port 7233). A lock left by a killed process is taken over.
import { open, readFile, unlink } from 'node:fs/promises';

/** `pid start-time`: the start time tells a live holder from a later process that reuses its pid. */
async function identity(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
  } catch {
    try {
      process.kill(pid, 0); // no /proc: the pid alone
      return `${pid}`;
    } catch {
      return null;
    }
  }
}

async function holder(lockFile: string): Promise<string | null> {
  const recorded = (await readFile(lockFile, 'utf8').catch(() => '')).trim();
  const pid = Number(recorded.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const current = await identity(pid);
  return current && (current === recorded || !recorded.includes(' ')) ? recorded : null;
}

/** Takes the lock of `file` for this process; returns its release. */
export async function lockDatabase(file: string): Promise<() => Promise<void>> {
  const lockFile = `${file}.lock`;
  const me = (await identity(process.pid)) ?? `${process.pid}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', 0o600);
      await handle.writeFile(`${me}\n`);
      await handle.close();
      return () => unlink(lockFile).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = await holder(lockFile);
      if (held) {
        throw new Error(
          `devserver database ${file} is in use by process ${held.split(' ')[0]}: stop that devserver (or Kiln), ` +
            `or give this one another --db-filename (another KILN_DATA_DIR for Kiln)`,
        );
      }
      await unlink(lockFile).catch(() => undefined); // left by a process that is gone
    }
  }
  throw new Error(`cannot lock devserver database ${file}: another devserver is starting on it; try again`);
}
