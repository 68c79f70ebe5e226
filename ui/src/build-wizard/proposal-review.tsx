import type { DockerfileProposal } from '../api/types';
import type { WizardState } from './use-wizard';

/** Why each choice was made, the editable files, and Use for builds / Open a merge (pull) request. */
export function ProposalReview({
  wizard,
  proposal,
  request,
}: {
  wizard: WizardState;
  proposal: DockerfileProposal;
  request: string;
}) {
  const { use, open } = wizard;
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
      <WizardFiles wizard={wizard} />
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
function WizardOutcome({ use, open, request }: Pick<WizardState, 'use' | 'open'> & { request: string }) {
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

/** The proposed Dockerfile and .dockerignore, editable before they are used or proposed. */
function WizardFiles({ wizard }: { wizard: WizardState }) {
  return (
    <>
      <label className="stacked">
        Dockerfile
        <textarea
          className="mono"
          rows={18}
          spellCheck={false}
          value={wizard.dockerfile}
          onChange={(e) => wizard.setDockerfile(e.target.value)}
        />
      </label>
      <label className="stacked">
        .dockerignore
        <textarea
          className="mono"
          rows={8}
          spellCheck={false}
          value={wizard.dockerignore}
          onChange={(e) => wizard.setDockerignore(e.target.value)}
        />
      </label>
    </>
  );
}
