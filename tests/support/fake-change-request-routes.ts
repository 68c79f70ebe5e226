/**
 * What the Build Wizard needs from the fake GitLab and GitHub: branches, files, commits and merge/pull requests,
 * on the real API paths with the real status codes and error bodies (GitLab 409 for a second open merge request
 * from one branch, GitHub 422 for an existing ref or pull request, 422 for a file update without its sha).
 */
import { createHash } from 'node:crypto';
import type { FakeRequest, FakeResponse, Route } from './fake-provider-http';

/** One repository's branches (name → commit sha), files per branch and change requests. */
export interface FakeRepoContent {
  defaultBranch: string;
  branches: Map<string, string>;
  files: Map<string, Map<string, string>>;
  changeRequests: Array<{
    number: number;
    source: string;
    target: string;
    title: string;
    description: string;
    state: 'opened' | 'closed';
  }>;
  commits: Array<{ branch: string; message: string; paths: string[] }>;
}

/** Repositories by key (GitLab project id, GitHub `owner/repo` lower-cased); made on first use with `main`. */
export class FakeContentStore {
  readonly repos = new Map<string, FakeRepoContent>();

  repo(key: string): FakeRepoContent {
    let repo = this.repos.get(key);
    if (!repo) {
      repo = {
        defaultBranch: 'main',
        branches: new Map([['main', sha('main')]]),
        files: new Map([['main', new Map()]]),
        changeRequests: [],
        commits: [],
      };
      this.repos.set(key, repo);
    }
    return repo;
  }

  commit(
    repo: FakeRepoContent,
    branch: string,
    message: string,
    changes: Array<[path: string, content: string]>,
  ): string {
    const files = repo.files.get(branch) ?? new Map<string, string>();
    for (const [path, content] of changes) files.set(path, content);
    repo.files.set(branch, files);
    const id = sha(`${branch}:${message}:${repo.commits.length}`);
    repo.branches.set(branch, id);
    repo.commits.push({ branch, message, paths: changes.map(([path]) => path) });
    return id;
  }
}

function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

const blobSha = (content: string) => sha(`blob ${content}`);
const pattern = (method: string, source: string, names: string[], handler: Route['handler']): Route => ({
  method,
  pattern: new RegExp(`^${source}$`),
  names,
  handler,
});

/** GitLab: `/projects/:id`, merge requests, branches, repository files and commits with actions. */
export function gitlabChangeRequestRoutes(
  store: FakeContentStore,
  withProject: (
    need: 'read' | 'write',
    fn: (req: FakeRequest, project: { id: number; path: string }) => FakeResponse,
  ) => Route['handler'],
  baseUrl: () => string,
): Route[] {
  const repoOf = (project: { id: number }) => store.repo(String(project.id));
  const mrJson = (project: { path: string }, mr: FakeRepoContent['changeRequests'][number]) => ({
    iid: mr.number,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    source_branch: mr.source,
    target_branch: mr.target,
    web_url: `${baseUrl()}/${project.path}/-/merge_requests/${mr.number}`,
  });
  const id = '([^/]+)';
  return [
    pattern(
      'GET',
      `/projects/${id}`,
      ['id'],
      withProject('read', (_req, project) => ({
        status: 200,
        body: { id: project.id, path_with_namespace: project.path, default_branch: repoOf(project).defaultBranch },
      })),
    ),
    pattern(
      'GET',
      `/projects/${id}/merge_requests`,
      ['id'],
      withProject('read', (req, project) => {
        const source = req.query.get('source_branch');
        const state = req.query.get('state');
        const found = repoOf(project).changeRequests.filter(
          (mr) => (!source || mr.source === source) && (!state || state === 'all' || mr.state === state),
        );
        return { status: 200, body: found.map((mr) => mrJson(project, mr)) };
      }),
    ),
    pattern(
      'POST',
      `/projects/${id}/merge_requests`,
      ['id'],
      withProject('write', (req, project) => {
        const repo = repoOf(project);
        const { source_branch: source, target_branch: target, title, description } = req.body as Record<string, string>;
        if (!source || !target || !title)
          return { status: 400, body: { error: 'source_branch, target_branch, title are missing' } };
        const open = repo.changeRequests.find((mr) => mr.source === source && mr.state === 'opened');
        if (open)
          return {
            status: 409,
            body: { message: [`Another open merge request already exists for this source branch: !${open.number}`] },
          };
        if (!repo.branches.has(source)) return { status: 404, body: { message: '404 Branch Not Found' } };
        const mr = {
          number: repo.changeRequests.length + 1,
          source,
          target,
          title,
          description: description ?? '',
          state: 'opened' as const,
        };
        repo.changeRequests.push(mr);
        return { status: 201, body: mrJson(project, mr) };
      }),
    ),
    pattern(
      'GET',
      `/projects/${id}/repository/branches/${id}`,
      ['id', 'branch'],
      withProject('read', (req, project) => {
        const commit = repoOf(project).branches.get(req.params.branch!);
        return commit
          ? { status: 200, body: { name: req.params.branch, commit: { id: commit } } }
          : { status: 404, body: { message: '404 Branch Not Found' } };
      }),
    ),
    pattern(
      'POST',
      `/projects/${id}/repository/branches`,
      ['id'],
      withProject('write', (req, project) => {
        const repo = repoOf(project);
        const branch = String(req.body.branch ?? req.query.get('branch') ?? '');
        const ref = String(req.body.ref ?? req.query.get('ref') ?? '');
        if (repo.branches.has(branch)) return { status: 400, body: { message: 'Branch already exists' } };
        const commit = repo.branches.get(ref);
        if (!commit) return { status: 400, body: { message: 'Invalid reference name' } };
        repo.branches.set(branch, commit);
        repo.files.set(branch, new Map(repo.files.get(ref)));
        return { status: 201, body: { name: branch, commit: { id: commit } } };
      }),
    ),
    pattern(
      'GET',
      `/projects/${id}/repository/files/${id}`,
      ['id', 'file'],
      withProject('read', (req, project) => {
        const content = repoOf(project)
          .files.get(req.query.get('ref') ?? '')
          ?.get(req.params.file!);
        if (content === undefined) return { status: 404, body: { message: '404 File Not Found' } };
        return {
          status: 200,
          body: {
            file_path: req.params.file,
            content: Buffer.from(content).toString('base64'),
            encoding: 'base64',
            blob_id: blobSha(content),
          },
        };
      }),
    ),
    pattern(
      'POST',
      `/projects/${id}/repository/commits`,
      ['id'],
      withProject('write', (req, project) => {
        const repo = repoOf(project);
        const { branch, commit_message: message } = req.body as Record<string, string>;
        const actions = (req.body.actions ?? []) as Array<{ action?: string; file_path?: string; content?: string }>;
        const files = repo.files.get(branch ?? '');
        if (!files || !message)
          return { status: 400, body: { message: 'You can only create or edit files when you are on a branch' } };
        for (const action of actions) {
          if (!action.file_path) return { status: 400, body: { error: 'actions[0][file_path] is missing' } };
          if (action.action === 'create' && files.has(action.file_path))
            return { status: 400, body: { message: 'A file with this name already exists' } };
          if (action.action === 'update' && !files.has(action.file_path))
            return { status: 400, body: { message: "A file with this name doesn't exist" } };
        }
        const commit = store.commit(
          repo,
          branch!,
          message,
          actions.map((a) => [a.file_path!, a.content ?? '']),
        );
        return { status: 201, body: { id: commit, short_id: commit.slice(0, 8), title: message } };
      }),
    ),
  ];
}

/** GitHub: pulls, git refs and the contents API. */
export function githubChangeRequestRoutes(
  store: FakeContentStore,
  canWrite: (req: FakeRequest) => FakeResponse | null,
): Route[] {
  const repo = (req: FakeRequest) => store.repo(`${req.params.owner}/${req.params.repo}`.toLowerCase());
  const guarded =
    (handler: Route['handler']): Route['handler'] =>
    (req) =>
      canWrite(req) ?? handler(req);
  const pullJson = (req: FakeRequest, pull: FakeRepoContent['changeRequests'][number]) => ({
    number: pull.number,
    state: pull.state === 'opened' ? 'open' : 'closed',
    title: pull.title,
    body: pull.description,
    html_url: `https://github.example/${req.params.owner}/${req.params.repo}/pull/${pull.number}`,
    head: { ref: pull.source, label: `${req.params.owner}:${pull.source}` },
    base: { ref: pull.target },
  });
  const notFound = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  const invalid = (message: string) => ({
    status: 422,
    body: { message, documentation_url: 'https://docs.github.com/rest' },
  });
  const r = '/repos/([^/]+)/([^/]+)';
  return [
    pattern(
      'GET',
      `${r}/pulls`,
      ['owner', 'repo'],
      guarded((req) => {
        const head = req.query.get('head');
        const state = req.query.get('state') ?? 'open';
        const found = repo(req).changeRequests.filter(
          (pull) =>
            (!head || `${req.params.owner}:${pull.source}` === head) &&
            (state === 'all' || (state === 'open') === (pull.state === 'opened')),
        );
        return { status: 200, body: found.map((pull) => pullJson(req, pull)) };
      }),
    ),
    pattern(
      'POST',
      `${r}/pulls`,
      ['owner', 'repo'],
      guarded((req) => {
        const content = repo(req);
        const { head, base, title, body } = req.body as Record<string, string>;
        if (!head || !base || !title) return invalid('Validation Failed');
        if (content.changeRequests.some((pull) => pull.source === head && pull.state === 'opened'))
          return invalid(`A pull request already exists for ${req.params.owner}:${head}.`);
        if (!content.branches.has(head) || !content.branches.has(base)) return invalid('Validation Failed');
        const pull = {
          number: content.changeRequests.length + 1,
          source: head,
          target: base,
          title,
          description: body ?? '',
          state: 'opened' as const,
        };
        content.changeRequests.push(pull);
        return { status: 201, body: pullJson(req, pull) };
      }),
    ),
    // Octokit sends the ref URL-encoded (`heads%2Fmain`); the router decodes parameters.
    pattern(
      'GET',
      `${r}/git/ref/(.+)`,
      ['owner', 'repo', 'ref'],
      guarded((req) => {
        const branch = /^heads\/(.+)$/.exec(req.params.ref!)?.[1];
        const commit = branch ? repo(req).branches.get(branch) : undefined;
        return commit
          ? { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha: commit, type: 'commit' } } }
          : notFound;
      }),
    ),
    pattern(
      'POST',
      `${r}/git/refs`,
      ['owner', 'repo'],
      guarded((req) => {
        const content = repo(req);
        const { ref, sha: commit } = req.body as Record<string, string>;
        const branch = /^refs\/heads\/(.+)$/.exec(ref ?? '')?.[1];
        if (!branch || !commit) return invalid('Reference name must start with refs/ and have at least two slashes.');
        if (content.branches.has(branch)) return invalid('Reference already exists');
        const from = [...content.branches].find(([, id]) => id === commit)?.[0];
        if (!from) return invalid('Object does not exist');
        content.branches.set(branch, commit);
        content.files.set(branch, new Map(content.files.get(from)));
        return { status: 201, body: { ref, object: { sha: commit, type: 'commit' } } };
      }),
    ),
    pattern(
      'GET',
      `${r}/contents/(.+)`,
      ['owner', 'repo', 'path'],
      guarded((req) => {
        const content = repo(req);
        const text = content.files.get(req.query.get('ref') ?? content.defaultBranch)?.get(req.params.path!);
        if (text === undefined) return notFound;
        return {
          status: 200,
          body: {
            type: 'file',
            path: req.params.path,
            sha: blobSha(text),
            encoding: 'base64',
            content: Buffer.from(text).toString('base64'),
          },
        };
      }),
    ),
    pattern(
      'PUT',
      `${r}/contents/(.+)`,
      ['owner', 'repo', 'path'],
      guarded((req) => {
        const content = repo(req);
        const {
          message,
          content: encoded,
          branch = content.defaultBranch,
          sha: given,
        } = req.body as Record<string, string>;
        const files = content.files.get(branch);
        if (!files) return invalid(`Branch ${branch} not found`);
        if (!message || encoded === undefined) return invalid('Invalid request.');
        const path = req.params.path!;
        const existing = files.get(path);
        if (existing !== undefined && !given) return invalid('Invalid request.\n\n"sha" wasn\'t supplied.');
        if (existing !== undefined && given !== blobSha(existing))
          return { status: 409, body: { message: `${path} does not match ${given}` } };
        const text = Buffer.from(encoded, 'base64').toString('utf8');
        const commit = store.commit(content, branch, message, [[path, text]]);
        return {
          status: existing === undefined ? 201 : 200,
          body: { content: { path, sha: blobSha(text) }, commit: { sha: commit } },
        };
      }),
    ),
  ];
}
