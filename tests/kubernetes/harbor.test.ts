import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHarborProject } from '../../clients/harbor';
import type { FakeHarbor } from '../support/fake-harbor';
import { startFakeHarbor } from '../support/fake-harbor';

describe('ensureHarborProject', () => {
  let harbor: FakeHarbor;
  const admin = { username: 'admin', password: 'Harbor12345' };
  const robot = { username: 'robot$shop+ci', password: 'robot-secret' };
  beforeAll(async () => {
    harbor = await startFakeHarbor(
      {
        admin: { password: admin.password, canCreateProjects: true },
        [robot.username]: { password: robot.password, canCreateProjects: false },
      },
      ['library'],
    );
  });
  afterAll(async () => {
    await harbor.stop();
  });

  it('does nothing when the project exists (also for a robot account)', async () => {
    expect(await ensureHarborProject({ url: harbor.url, project: 'library', auth: robot })).toEqual({
      project: 'library',
      created: false,
    });
    expect(harbor.requests.at(-1)).toBe('HEAD /api/v2.0/projects?project_name=library');
  });

  it('creates a missing project as a private project', async () => {
    expect(await ensureHarborProject({ url: harbor.url, project: 'team-a', auth: admin })).toEqual({
      project: 'team-a',
      created: true,
    });
    expect(harbor.projects.get('team-a')).toMatchObject({ public: false });
    expect(await ensureHarborProject({ url: harbor.url, project: 'team-a', auth: admin })).toEqual({
      project: 'team-a',
      created: false,
    });
  });

  it('says Permission denied when the account may not create projects', async () => {
    await expect(ensureHarborProject({ url: harbor.url, project: 'team-b', auth: robot })).rejects.toMatchObject({
      type: 'PermissionDenied',
      message: expect.stringContaining(
        'Permission denied: Harbor user "robot$shop+ci" may not create project "team-b"',
      ),
    });
    expect(harbor.projects.has('team-b')).toBe(false);
  });

  it('says Registry authentication failed for a wrong password, without echoing it', async () => {
    const error = await ensureHarborProject({
      url: harbor.url,
      project: 'team-c',
      auth: { username: 'admin', password: 'wrong-pw' },
    }).then(
      () => undefined,
      (e: Error & { type?: string }) => e,
    );
    expect(error).toMatchObject({
      type: 'RegistryAuthFailed',
      message: expect.stringContaining('Registry authentication failed'),
    });
    expect(error?.message).not.toContain('wrong-pw');
  });

  it('explains an invalid project name', async () => {
    await expect(ensureHarborProject({ url: harbor.url, project: 'Team_A!', auth: admin })).rejects.toMatchObject({
      type: 'ConfigurationError',
      message: expect.stringContaining('Harbor refused project "Team_A!"'),
    });
  });

  it('says Registry unavailable when Harbor cannot be reached', async () => {
    await expect(ensureHarborProject({ url: 'http://127.0.0.1:1', project: 'x', auth: admin })).rejects.toMatchObject({
      type: 'RegistryUnavailable',
    });
  });
});
