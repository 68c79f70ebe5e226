import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { wizard } from '../api/endpoints';
import type { DockerfileProposal, GitProviderKind } from '../api/types';

interface BuildWizardProps {
  serviceId: string;
  /** `gitlab` says "merge request", `github` "pull request". */
  provider: GitProviderKind;
}

/**
 * The Build Wizard: proposes a Dockerfile and .dockerignore from what Detect finds, shows why, lets the user edit
 * them, then stores them for builds or opens a merge/pull request with them.
 */
export function BuildWizard({ serviceId, provider }: BuildWizardProps) {
  const wizardState = useWizard(serviceId);
  const { path, setPath, proposal, propose } = wizardState;
  const subprojects = proposal?.detected.subprojects ?? [];
  return (
    <section className="build-wizard" aria-label="Build Wizard">
      <div className="row">
        {subprojects.length > 0 && (
          <label>
            Project{' '}
            <select value={path} onChange={(e) => setPath(e.target.value)}>
              <option value="">Repository root</option>
              {subprojects.map((s) => (
                <option key={s.path} value={s.path}>
                  {s.path}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => propose.mutate()} disabled={propose.isPending}>
          {propose.isPending ? 'Generating…' : proposal ? 'Generate again' : 'Generate a Dockerfile'}
        </button>
      </div>
      {propose.isError && (
        <p className="field-error" role="alert">
          Build Wizard failed: {propose.error.message}
        </p>
      )}
      {proposal && (
        <ProposalReview
          wizard={wizardState}
          proposal={proposal}
          request={provider === 'github' ? 'pull request' : 'merge request'}
        />
      )}
    </section>
  );
}

/** The wizard's state: the chosen sub-project, the proposal, the edited files and the three calls. */
function useWizard(serviceId: string) {
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

/** Why each choice was made, the editable files, and Use for builds / Open a merge (pull) request. */
function ProposalReview({
  wizard: { dockerfile, setDockerfile, dockerignore, setDockerignore, use, open },
  proposal,
  request,
}: {
  wizard: ReturnType<typeof useWizard>;
  proposal: DockerfileProposal;
  request: string;
}) {
  return (
    <>
      {proposal.detected.dockerfilePath && (
        <p className="help">
          The repository already has {proposal.detected.dockerfilePath}; builds use it, never the wizard&apos;s.
        </p>
      )}
      <h4>Detected, and why</h4>
      <ul aria-label="Why">
        {proposal.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <label className="stacked">
        Dockerfile
        <textarea
          className="mono"
          rows={18}
          spellCheck={false}
          value={dockerfile}
          onChange={(e) => setDockerfile(e.target.value)}
        />
      </label>
      <label className="stacked">
        .dockerignore
        <textarea
          className="mono"
          rows={8}
          spellCheck={false}
          value={dockerignore}
          onChange={(e) => setDockerignore(e.target.value)}
        />
      </label>
      <div className="row">
        <button
          type="button"
          onClick={() => use.mutate()}
          disabled={use.isPending || Boolean(proposal.detected.path)}
          title={proposal.detected.path ? 'For a sub-project, open a merge request instead' : undefined}
        >
          Use for builds
        </button>
        <button type="button" onClick={() => open.mutate()} disabled={open.isPending}>
          {open.isPending ? 'Opening…' : `Open a ${request}`}
        </button>
      </div>
      <WizardOutcome use={use} open={open} request={request} />
    </>
  );
}

/** What Use for builds or the merge (pull) request did, or why it failed. */
function WizardOutcome({
  use,
  open,
  request,
}: Pick<ReturnType<typeof useWizard>, 'use' | 'open'> & { request: string }) {
  return (
    <>
      {use.isSuccess && (
        <p role="status">Saved: builds use this Dockerfile while the repository has none (the build log says so).</p>
      )}
      {open.isSuccess && (
        <p role="status">
          {open.data.created ? 'Opened' : 'Already open'}:{' '}
          <a href={open.data.url} target="_blank" rel="noreferrer">
            {request} #{open.data.number}
          </a>
        </p>
      )}
      {(use.isError || open.isError) && (
        <p className="field-error" role="alert">
          {(use.error ?? open.error)?.message}
        </p>
      )}
    </>
  );
}
