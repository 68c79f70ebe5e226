import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { wizard } from '../api/endpoints';
import type { DockerfileProposal } from '../api/types';

/** The wizard's state: the chosen sub-project, the proposal, the edited files and the three calls. */
export function useWizard(serviceId: string) {
  const [path, setPath] = useState('');
  const [proposal, setProposal] = useState<DockerfileProposal | null>(null);
  const [dockerfile, setDockerfile] = useState('');
  const [dockerignore, setDockerignore] = useState('');
  const propose = useMutation({
    mutationFn: () => wizard.propose(serviceId, path || undefined),
    onSuccess: (result) => {
      setProposal(result);
      setDockerfile(result.dockerfile);
      setDockerignore(result.dockerignore);
    },
  });
  const files = () => ({ dockerfile, dockerignore, path: proposal?.detected.path || undefined });
  const use = useMutation({ mutationFn: () => wizard.useForBuilds(serviceId, files()) });
  const open = useMutation({ mutationFn: () => wizard.openChangeRequest(serviceId, files()) });
  return { path, setPath, proposal, propose, dockerfile, setDockerfile, dockerignore, setDockerignore, use, open };
}

/** What `useWizard` gives the review. */
export type WizardState = ReturnType<typeof useWizard>;
