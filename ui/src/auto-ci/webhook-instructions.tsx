import type { WebhookInfo } from '../api/types';

/** Step-by-step registration for GitLab and GitHub; the service's own provider comes first, opened. */
export function WebhookInstructions({ provider }: { provider: WebhookInfo['provider'] }) {
  const gitlab = <GitLabSteps key="gitlab" open={provider === 'gitlab'} />;
  const github = <GitHubSteps key="github" open={provider === 'github'} />;
  return (
    <>
      <h3>Step by step</h3>
      {provider === 'github' ? [github, gitlab] : [gitlab, github]}
    </>
  );
}

function GitLabSteps({ open }: { open: boolean }) {
  return (
    <details open={open}>
      <summary>Register the webhook in GitLab</summary>
      <ol className="steps">
        <li>Open your GitLab project.</li>
        <li>
          Go to <strong>Settings → Webhooks</strong> and click <strong>Add new webhook</strong>.
        </li>
        <li>
          <strong>URL</strong>: paste the Production URL (Copy URL). <strong>Secret token</strong>: paste the token
          (Copy Token).
        </li>
        <li>
          Under <strong>Trigger</strong> select <strong>Push events</strong> (required),{' '}
          <strong>Merge request events</strong> (recommended) and <strong>Tag push events</strong> (release builds).
        </li>
        <li>
          Keep <strong>Enable SSL verification</strong> checked and click <strong>Add webhook</strong>.
        </li>
        <li>
          Click <strong>Test → Push events</strong>: &ldquo;Hook executed successfully: HTTP 200&rdquo; means it works;
          401 means the token does not match.
        </li>
      </ol>
    </details>
  );
}

function GitHubSteps({ open }: { open: boolean }) {
  return (
    <details open={open}>
      <summary>Register the webhook in GitHub</summary>
      <ol className="steps">
        <li>
          In the repository open <strong>Settings → Webhooks → Add webhook</strong>.
        </li>
        <li>
          <strong>Payload URL</strong>: paste the Production URL. <strong>Content type</strong>:{' '}
          <code>application/json</code>.
        </li>
        <li>
          <strong>Secret</strong>: paste the token.
        </li>
        <li>
          Choose <strong>Let me select individual events</strong> and tick <strong>Pushes</strong> and{' '}
          <strong>Pull requests</strong>: pushes build branches and tags; pull requests build{' '}
          <code>refs/pull/&lt;n&gt;/head</code> as <code>pr-&lt;n&gt;</code> (never deployed), and closing one cancels
          its build. Other events are acknowledged and ignored. An organization admin can also let Kiln register it with
          both events: <code>POST /api/v1/services/&#123;id&#125;/webhook/register</code>.
        </li>
        <li>
          Click <strong>Add webhook</strong>; the ping delivery should show a green tick under{' '}
          <strong>Recent Deliveries</strong>.
        </li>
      </ol>
    </details>
  );
}
