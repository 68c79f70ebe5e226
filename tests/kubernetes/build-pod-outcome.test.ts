import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { BuildRequest } from '../../builders/builder';
import { classifyBuildPod, pendingFailure } from '../../builders/buildkit/build-pod-outcome';

const request = {
  source: { repositoryUrl: 'https://git.example.com/a.git', sha: 'f'.repeat(40), ref: 'refs/heads/main' },
  dockerfilePath: 'Dockerfile',
  registry: { host: 'harbor.example.com', username: 'ci', password: 'pw', insecure: false },
  resources: { profile: 'medium', cpu: 2, memoryMiB: 4096, timeoutSeconds: 900 },
} as BuildRequest;

const failedBuildkit = (exitCode: number, message = ''): V1Pod => ({
  status: {
    phase: 'Failed',
    containerStatuses: [
      {
        name: 'buildkit',
        image: 'b',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason: 'Error', message } },
      },
    ],
  },
});

describe('build pod outcome', () => {
  it('fails a pod stuck Pending for another reason as "Build stuck in Pending"', () => {
    const pod: V1Pod = {
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'buildkit',
            image: 'b',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating', message: 'secret "x" not found' } },
          },
        ],
      },
    };
    const error = pendingFailure(pod, 300);
    expect(error.type).toBe('BuildStuckPending');
    expect(error.message).toBe(
      'Build stuck in Pending for 300s (ContainerCreating: secret "x" not found). Wait for running builds to finish or cancel unnecessary builds, then retry.',
    );
  });

  it("reports a failing Dockerfile step with BuildKit's last lines", () => {
    const outcome = classifyBuildPod(
      failedBuildkit(1),
      request,
      '#5 [2/3] RUN npm ci\n#5 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n',
    );
    expect(outcome).toMatchObject({
      state: 'failed',
      error: {
        type: 'BuildFailed',
        message: expect.stringContaining(
          'Build failed: BuildKit exited with code 1: #5 [2/3] RUN npm ci | #5 ERROR: process "/bin/sh -c npm ci" did not complete successfully',
        ),
      },
    });
  });

  it('recognises a refused push in the termination message', () => {
    const outcome = classifyBuildPod(
      failedBuildkit(1, 'error: failed to solve: failed to push: 401 Unauthorized'),
      request,
      '',
    );
    expect(outcome).toMatchObject({ state: 'failed', error: { type: 'RegistryAuthFailed' } });
  });

  it('treats a pod that disappeared as a failed build and a running one as not decided', () => {
    expect(classifyBuildPod(undefined, request, '')).toMatchObject({ state: 'failed', error: { type: 'BuildFailed' } });
    expect(classifyBuildPod({ status: { phase: 'Running' } }, request, '')).toEqual({ state: 'running' });
  });
});
