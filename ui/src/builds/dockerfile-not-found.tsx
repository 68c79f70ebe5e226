import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BuildErrorType } from '../../../domain/build-error';
import { kiln } from '../api/endpoints';
import type { Build } from '../api/types';
import { BuildWizard } from '../build-wizard/build-wizard';

/** True when the build failed only because there was no Dockerfile to build. */
export function lacksDockerfile(build: Pick<Build, 'errorType'>): boolean {
  return build.errorType === BuildErrorType.DockerfileNotFound;
}

/** On a "Dockerfile not found" build: a button that opens the Build Wizard for the build's service. */
export function DockerfileNotFoundWizard({ build }: { build: Build }) {
  const [open, setOpen] = useState(false);
  // The provider decides "merge request" or "pull request"; the build itself does not carry it.
  const service = useQuery({
    queryKey: ['service', build.serviceId],
    queryFn: () => kiln.getService(build.serviceId),
    enabled: open,
  });
  if (!lacksDockerfile(build)) return null;
  return (
    <section className="build-wizard-offer" aria-label="No Dockerfile">
      <button type="button" onClick={() => setOpen((value) => !value)} aria-expanded={open}>
        Generate a Dockerfile with Build Wizard
      </button>
      {open && service.isPending && <p className="muted">Loading the service…</p>}
      {open && service.isError && (
        <p className="field-error" role="alert">
          Could not load the service: {service.error.message}
        </p>
      )}
      {open && service.data && <BuildWizard serviceId={service.data.id} provider={service.data.gitProvider} />}
    </section>
  );
}
