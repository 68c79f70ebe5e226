import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { kiln } from '../api/endpoints';
import type { Service, WebhookInfo } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { WebhookInstructions } from './webhook-instructions';

const envLabel = { production: 'Production', local: 'Local (admin only)' } as const;

/**
 * Webhook: the URL(s) to paste into GitLab/GitHub, Copy URL / Copy Token, token rotation and instructions.
 * `saved`: the Auto CI settings have been saved once (which creates the image-pull Secret).
 */
export function WebhookTab({ service, saved }: { service: Service; saved: boolean }) {
  const info = useQuery({ queryKey: ['webhook', service.id], queryFn: () => kiln.getWebhook(service.id) });
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
          <WebhookUrls webhook={webhook} />
          <SecretToken serviceId={service.id} webhook={webhook} />
          <WebhookInstructions provider={webhook.provider} />
        </div>
      )}
    </QueryState>
  );
}

/** Each environment's webhook URL, read-only and selected on focus, with Copy URL. */
function WebhookUrls({ webhook }: { webhook: WebhookInfo }) {
  return (
    <>
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
    </>
  );
}

/** The secret token, hidden, with Copy Token and Rotate token (after the browser's confirm). */
function SecretToken({ serviceId, webhook }: { serviceId: string; webhook: WebhookInfo }) {
  const rotate = useRotateToken(serviceId);
  const confirmRotate = () => {
    if (window.confirm('Create a new secret token? Webhooks using the old one will be rejected until you update them.'))
      rotate.mutate();
  };
  return (
    <>
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
        <button type="button" className="danger" disabled={rotate.isPending} onClick={confirmRotate}>
          Rotate token
        </button>
      </div>
      <p id="webhook-token-help" className="help">
        Unique to this service; never put it in a public repository. Last changed{' '}
        {new Date(webhook.rotatedAt).toLocaleString()}.
      </p>
    </>
  );
}

/** Rotates the token; the answer replaces the cached webhook settings, and a toast says to update the provider. */
function useRotateToken(serviceId: string) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: () => kiln.rotateWebhookToken(serviceId),
    onSuccess: (next) => {
      queryClient.setQueryData(['webhook', serviceId], next);
      toast('New secret token created. Paste it into your Git provider: the old one no longer works.', 'info');
    },
    onError: (error) => toast(error.message, 'error'),
  });
}
