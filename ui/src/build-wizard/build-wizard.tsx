import type { GitProviderKind } from '../api/types';
import { ProposalReview } from './proposal-review';
import { useWizard } from './use-wizard';

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
