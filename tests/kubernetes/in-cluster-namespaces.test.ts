// Kiln's own service account can reach every namespace, so an in-cluster runtime environment is used only for the
// namespaces an instance admin listed: every deploy, rollback, pull-Secret refresh and status read asks
// clusterAccess with the namespace first, and a refusal is a ConfigurationError, never retried.
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { clusterAccess, type RuntimeEnvironment } from '../../clients/kubernetes/cluster-access';
import { BuildErrorType } from '../../domain/build-error';
import { namespaceAllowed } from '../../domain/deploy-namespace';

const inCluster: RuntimeEnvironment = {
  name: 'shared',
  mode: 'in-cluster',
  kubeconfig: null,
  context: null,
  namespaces: ['shop', 'team-a-*'],
};

function refusal(run: () => unknown): ApplicationFailure | undefined {
  try {
    run();
  } catch (error) {
    return error as ApplicationFailure;
  }
  return undefined;
}

describe('in-cluster namespaces', () => {
  it('matches names exactly and prefixes ending in *', () => {
    expect(['shop', 'team-a-web', 'team-a-'].map((ns) => namespaceAllowed(inCluster.namespaces, ns))).toEqual([
      true,
      true,
      true,
    ]);
    expect(['shop-x', 'kiln', 'kube-system', 'team-b'].some((ns) => namespaceAllowed(inCluster.namespaces, ns))).toBe(
      false,
    );
    expect(namespaceAllowed(null, 'shop')).toBe(false);
  });

  it('gives Kiln’s service account only for a listed namespace (or the connectivity check)', () => {
    expect(clusterAccess(inCluster, 'team-a-web')).toEqual({ inCluster: true });
    expect(clusterAccess(inCluster, null)).toEqual({ inCluster: true });
    for (const namespace of ['kiln', 'kube-system', 'shop-evil']) {
      const error = refusal(() => clusterAccess(inCluster, namespace));
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect(error?.type).toBe(BuildErrorType.ConfigurationError);
      expect(error?.nonRetryable).toBe(true);
      expect(error?.message).toContain(`not to namespace ${namespace}`);
    }
    // An environment stored before namespaces existed allows none until an instance admin lists some.
    expect(refusal(() => clusterAccess({ ...inCluster, namespaces: null }, 'shop'))?.message).toContain(
      'may deploy to no namespace',
    );
  });

  it('leaves a kubeconfig environment to its own credentials’ permissions', () => {
    const kubeconfig = { ...inCluster, mode: 'kubeconfig' as const, kubeconfig: 'apiVersion: v1', namespaces: null };
    expect(clusterAccess(kubeconfig, 'anything')).toEqual({ kubeconfig: 'apiVersion: v1', context: null });
  });
});
