import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Service, WebhookInfo } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';

const envLabel = { production: 'Production', local: 'Local (admin only)' } as const;

/**
 * Webhook: the URL(s) to paste into GitLab/GitHub, Copy URL / Copy Token, token rotation and instructions.
 * `saved`: the Auto CI settings have been saved once (which creates the image-pull Secret).
 */
export function WebhookTab({ service, saved }: { service: Service; saved: boolean }) {
  const key = ['webhook', service.id];
  const info = useQuery({ queryKey: key, queryFn: () => kiln.getWebhook(service.id) });
  const queryClient = useQueryClient();
  const toast = useToast();
  const rotate = useMutation({
    mutationFn: () => kiln.rotateWebhookToken(service.id),
    onSuccess: (next) => {
      queryClient.setQueryData(key, next);
      toast('New secret token created. Paste it into your Git provider: the old one no longer works.', 'info');
    },
    onError: (error) => toast(error.message, 'error'),
  });
  return (
    <QueryState query={info} what="webhook settings">
      {(webhook) => (
        <div>
          {!saved && (
            <p className="note">
              Save the Auto CI settings first (that creates the image-pull Secret), then register the webhook.
            </p>
          )}
          {webhook.plainGitServer && (
            <p className="note" role="note">
              {webhook.plainGitServer}
            </p>
          )}
          <h3>Webhook environments</h3>
          {webhook.urls.map((u) => (
            <div key={u.environment} className="webhook-url">
              <label htmlFor={`webhook-url-${u.environment}`}>{envLabel[u.environment]}</label>
              <div className="url-box">
                <input
                  id={`webhook-url-${u.environment}`}
                  readOnly
                  value={u.url}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <CopyButton label="Copy URL" what={`${envLabel[u.environment]} URL`} getText={() => u.url} />
              </div>
            </div>
          ))}
          <label htmlFor="webhook-token">Secret token</label>
          <div className="url-box">
            <input
              id="webhook-token"
              readOnly
              type="password"
              value={webhook.secretToken}
              aria-describedby="webhook-token-help"
            />
            <CopyButton label="Copy Token" what="Secret token" getText={() => webhook.secretToken} />
            <button
              type="button"
              className="danger"
              disabled={rotate.isPending}
              onClick={() => {
                if (
                  window.confirm(
                    'Create a new secret token? Webhooks using the old one will be rejected until you update them.',
                  )
                )
                  rotate.mutate();
              }}
            >
              Rotate token
            </button>
          </div>
          <p id="webhook-token-help" className="help">
            Unique to this service; never put it in a public repository. Last changed{' '}
            {new Date(webhook.rotatedAt).toLocaleString()}.
          </p>
          <Instructions webhook={webhook} />
        </div>
      )}
    </QueryState>
  );
}

function Instructions({ webhook }: { webhook: WebhookInfo }) {
  const gitlab = (
    <details key="gitlab" open={webhook.provider === 'gitlab'}>
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
  const github = (
    <details key="github" open={webhook.provider === 'github'}>
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
  return (
    <>
      <h3>Step by step</h3>
      {webhook.provider === 'github' ? [github, gitlab] : [gitlab, github]}
    </>
  );
}
