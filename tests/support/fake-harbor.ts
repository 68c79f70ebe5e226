import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Harbor account: admins (and project creators) may create projects; robot accounts usually may not. */
export interface FakeHarborUser {
  password: string;
  canCreateProjects: boolean;
}

export interface FakeHarbor {
  url: string;
  projects: Map<string, { id: number; public: boolean }>;
  /** `METHOD path` of each request, in order. */
  requests: string[];
  stop(): Promise<void>;
}

const projectName = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function errors(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code, message }] }));
}

/** Basic auth as Harbor checks it: no header is anonymous, a wrong password is 401. */
function authenticate(
  req: IncomingMessage,
  users: Record<string, FakeHarborUser>,
): FakeHarborUser | 'anonymous' | undefined {
  const header = req.headers.authorization;
  if (!header) return 'anonymous';
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = users[decoded.slice(0, colon)];
  return user && user.password === decoded.slice(colon + 1) ? user : undefined;
}

/**
 * Harbor's v2.0 projects API as Kiln uses it: `HEAD /api/v2.0/projects?project_name=` (200/404) and
 * `POST /api/v2.0/projects` (201 + Location, 400 bad name, 401, 403, 409), errors as `{"errors":[…]}`.
 */
export async function startFakeHarbor(
  users: Record<string, FakeHarborUser>,
  existing: string[] = [],
): Promise<FakeHarbor> {
  const projects = new Map<string, { id: number; public: boolean }>();
  let nextId = 1;
  for (const name of existing) projects.set(name, { id: nextId++, public: false });
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harbor');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const user = authenticate(req, users);
    if (!user) return errors(res, 401, 'UNAUTHORIZED', 'UnAuthorized');
    if (url.pathname === '/api/v2.0/projects' && req.method === 'HEAD') {
      res.writeHead(projects.has(url.searchParams.get('project_name') ?? '') ? 200 : 404).end();
      return;
    }
    if (url.pathname === '/api/v2.0/projects' && req.method === 'POST') {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        if (user === 'anonymous') return errors(res, 401, 'UNAUTHORIZED', 'UnAuthorized');
        const body = JSON.parse(text || '{}') as { project_name?: string; metadata?: { public?: string } };
        const name = body.project_name ?? '';
        if (!projectName.test(name)) return errors(res, 400, 'BAD_REQUEST', `project_name ${name} is invalid`);
        if (!user.canCreateProjects) return errors(res, 403, 'FORBIDDEN', 'forbidden');
        if (projects.has(name)) return errors(res, 409, 'CONFLICT', `The project named ${name} already exists`);
        const id = nextId++;
        projects.set(name, { id, public: body.metadata?.public === 'true' });
        res.writeHead(201, { location: `/api/v2.0/projects/${id}` }).end();
      });
      return;
    }
    errors(res, 404, 'NOT_FOUND', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    projects,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
