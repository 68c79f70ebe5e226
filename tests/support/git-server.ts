/**
 * A real git server for tests: bare repositories in a temp dir served over smart HTTP by
 * `git http-backend` (run as CGI by a small node http server) behind Basic auth.
 *
 *   const git = await startGitServer({ username: 'oauth2', password: token });
 *   const { url, sha } = await git.createRepository('app', { 'Dockerfile': 'FROM scratch\n' }, { branch: 'main' });
 *   const next = await git.commit('app', { 'README.md': 'hi' }, 'second');
 *   await git.stop();
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const httpBackend = '/usr/lib/git-core/git-http-backend';

export interface GitServer {
  /** e.g. `http://127.0.0.1:41234` (no credentials in it). */
  baseUrl: string;
  /** Every request the server saw: method, path+query and the Authorization header (to assert on leaks). */
  requests: Array<{ method: string; url: string; authorization: string | undefined }>;
  /** Creates `<name>.git` with one commit holding `files`; returns the clone URL and the commit sha. */
  createRepository(
    name: string,
    files: Record<string, string>,
    options?: { branch?: string },
  ): Promise<{ url: string; sha: string }>;
  /** Adds a commit with `files` (written over the previous tree) on the repository's branch; returns its sha. */
  commit(name: string, files: Record<string, string>, message?: string): Promise<string>;
  /**
   * Pushes a commit with `files` on top of the branch head to `ref` (e.g. `refs/merge-requests/1/head`, as GitLab
   * keeps a fork's merge request in the target project) without moving the branch; returns its sha.
   */
  commitOnRef(name: string, ref: string, files: Record<string, string>, message?: string): Promise<string>;
  /** Commits a submodule at `path` pointing to `url` at `sha` (without cloning it); returns the new commit sha. */
  addSubmodule(name: string, subPath: string, url: string, sha: string): Promise<string>;
  /** Creates a tag at the branch head (or `sha`): annotated when `message` is given, else lightweight. */
  tag(name: string, tagName: string, sha?: string, message?: string): Promise<void>;
  stop(): Promise<void>;
}

const authorEnv = {
  GIT_AUTHOR_NAME: 'Kiln Test',
  GIT_AUTHOR_EMAIL: 'test@kiln.invalid',
  GIT_COMMITTER_NAME: 'Kiln Test',
  GIT_COMMITTER_EMAIL: 'test@kiln.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Starts the server on 127.0.0.1, port 0. Requests without the right Basic credentials get 401. */
export async function startGitServer(auth: { username: string; password: string }): Promise<GitServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'kiln-git-'));
  const reposDir = path.join(root, 'repos');
  const workDir = path.join(root, 'work');
  await mkdir(reposDir);
  await mkdir(workDir);
  const expected = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  const requests: GitServer['requests'] = [];
  const branches = new Map<string, string>();

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="kiln-test-git"' }).end('Unauthorized');
      return;
    }
    serveCgi(req, res, reposDir, auth.username);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const git = (cwd: string, ...args: string[]) =>
    exec('git', args, { cwd, env: { ...process.env, ...authorEnv } }).then((r) => r.stdout.trim());

  async function commit(name: string, files: Record<string, string>, message = 'update'): Promise<string> {
    await writeFiles(path.join(workDir, name), files);
    return commitStaged(name, message);
  }

  async function writeFiles(work: string, files: Record<string, string>): Promise<void> {
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(work, file)), { recursive: true });
      await writeFile(path.join(work, file), content);
    }
    if (Object.keys(files).length > 0) await git(work, 'add', '--', ...Object.keys(files));
  }

  async function commitStaged(name: string, message: string): Promise<string> {
    const work = path.join(workDir, name);
    await git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
    await git(work, 'push', '--quiet', path.join(reposDir, `${name}.git`), `HEAD:refs/heads/${branches.get(name)}`);
    return git(work, 'rev-parse', 'HEAD');
  }

  return {
    baseUrl,
    requests,
    async createRepository(name, files, options = {}) {
      const branch = options.branch ?? 'main';
      const bare = path.join(reposDir, `${name}.git`);
      await git(reposDir, 'init', '--quiet', '--bare', `--initial-branch=${branch}`, bare);
      await git(bare, 'config', 'http.receivepack', 'false');
      await git(bare, 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
      await git(workDir, 'init', '--quiet', `--initial-branch=${branch}`, name);
      branches.set(name, branch);
      const sha = await commit(name, files, 'initial');
      return { url: `${baseUrl}/${name}.git`, sha };
    },
    commit,
    async commitOnRef(name, ref, files, message = 'off-branch') {
      const work = path.join(workDir, name);
      await git(work, 'checkout', '--quiet', '--detach');
      try {
        await writeFiles(work, files);
        await git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
        await git(work, 'push', '--quiet', path.join(reposDir, `${name}.git`), `HEAD:${ref}`);
        return await git(work, 'rev-parse', 'HEAD');
      } finally {
        await git(work, 'checkout', '--quiet', '--force', branches.get(name)!);
      }
    },
    async addSubmodule(name, subPath, url, sha) {
      const work = path.join(workDir, name);
      await git(work, 'config', '-f', '.gitmodules', `submodule.${subPath}.path`, subPath);
      await git(work, 'config', '-f', '.gitmodules', `submodule.${subPath}.url`, url);
      await git(work, 'add', '.gitmodules');
      // A gitlink straight into the index: `add --all` would drop it again, as the folder is not checked out here.
      await git(work, 'update-index', '--add', '--cacheinfo', `160000,${sha},${subPath}`);
      return commitStaged(name, `add submodule ${subPath}`);
    },
    async tag(name, tagName, sha, message) {
      const annotate = message != null ? ['-a', '-m', message] : [];
      await git(path.join(workDir, name), 'tag', ...annotate, tagName, sha ?? 'HEAD');
      await git(
        path.join(workDir, name),
        'push',
        '--quiet',
        path.join(reposDir, `${name}.git`),
        `refs/tags/${tagName}`,
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Runs git-http-backend as a CGI program for one request and relays its response. */
function serveCgi(req: IncomingMessage, res: ServerResponse, projectRoot: string, user: string): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    REQUEST_METHOD: req.method,
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: user,
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    // Protocol v2 (what lets a client fetch one exact sha) is negotiated through this header.
    GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
  };
  const cgi = spawn(httpBackend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersSent = true;
    res.write(head.subarray(end + 4));
  });
  cgi.stderr.resume();
  cgi.on('close', () => {
    if (!headersSent) res.writeHead(500).end('git http-backend failed');
    else res.end();
  });
}
