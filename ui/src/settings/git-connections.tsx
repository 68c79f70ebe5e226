import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { settingsApi } from '../api/endpoints';
import type { GitCheck, GitProvider, TokenCheck } from '../api/types';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { useGitProviders } from '../services/prerequisites';
import { useIsAdmin } from '../session';
import { CheckResult } from './check-result';

type Flavour = 'gitlab' | 'github' | 'plain';
const defaults: Record<Flavour, string> = { gitlab: 'https://gitlab.com', github: 'https://github.com', plain: '' };
const kindLabel = { gitlab: 'GitLab', github: 'GitHub' } as const;

/** Describes a working provider token in the provider's terms (account, scopes, warnings). */
export function tokenSummary(check: TokenCheck): string {
  const scopes = check.scopes ? ` with scopes ${check.scopes.join(', ')}` : '';
  const warnings = check.warnings.length ? ` — ${check.warnings.join(' ')}` : '';
  return `The token works as ${check.identity}${scopes}${warnings}`;
}
const gitSummary = (check: GitCheck) =>
  check.message + (check.branches.length ? ` (${check.branches.slice(0, 5).join(', ')})` : '');

/** Git connections: one token per provider and address, used by every service whose repository is there. */
export function GitConnections() {
  const providers = useGitProviders();
  const admin = useIsAdmin();
  return (
    <div className="settings-section">
      <QueryState query={providers} what="Git connections">
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">
              No Git connection yet. {admin ? 'Add one below: ' : 'An organization admin adds one: '}
              Kiln clones with its token and reports commit statuses through it.
            </p>
          ) : (
            <ul className="settings-list" aria-label="Git connections">
              {page.items.map((p) => (
                <ConnectionRow key={p.id} provider={p} admin={admin} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {admin && <AddConnection />}
    </div>
  );
}

function ConnectionRow({ provider, admin }: { provider: GitProvider; admin: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [repo, setRepo] = useState('');
  const check = useMutation<TokenCheck, Error, void>({ mutationFn: () => settingsApi.checkStoredToken(provider.id) });
  const gitCheck = useMutation<GitCheck, Error, void>({
    mutationFn: () => settingsApi.checkGitServer({ repositoryUrl: repo.trim(), connectionId: provider.id }),
  });
  const remove = useMutation({
    mutationFn: () => settingsApi.deleteGitProvider(provider.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['git-providers'] });
      toast(`Git connection ${provider.baseUrl} removed`);
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const plainServer = provider.providerApi === false;
  const label = plainServer ? 'Plain git server' : kindLabel[provider.kind];
  const name = `${label} ${provider.baseUrl}`;
  return (
    <li className="settings-item" aria-label={name}>
      <div className="settings-item-head">
        <div>
          <strong>{label}</strong> <code className="wrap">{provider.baseUrl}</code>
          <div className="muted">
            {provider.hasToken ? 'Token stored' : 'No token (its address changed): enter it again'}
            {plainServer &&
              ` · webhooks like ${kindLabel[provider.kind]}'s; clones only: no commit statuses, pipelines or webhook registration`}
          </div>
        </div>
        {admin && (
          <div className="toolbar">
            {!plainServer && (
              <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
                Test connection
              </button>
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => window.confirm(`Remove the Git connection ${name}?`) && remove.mutate()}
            >
              Remove
            </button>
          </div>
        )}
      </div>
      <CheckResult check={check} describe={tokenSummary} label={`Test of ${name}`} />
      {admin && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            gitCheck.mutate();
          }}
        >
          <label htmlFor={`repo-${provider.id}`}>Test a clone of</label>
          <input
            id={`repo-${provider.id}`}
            type="url"
            required
            placeholder={`${provider.baseUrl}/team/app.git`}
            value={repo}
            onChange={(e) => setRepo(e.target.value)}
          />
          <button type="submit" className="secondary" disabled={gitCheck.isPending}>
            Test clone
          </button>
        </form>
      )}
      <CheckResult check={gitCheck} describe={gitSummary} label={`Clone test of ${name}`} />
    </li>
  );
}

function AddConnection() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [flavour, setFlavour] = useState<Flavour>('gitlab');
  const [webhookKind, setWebhookKind] = useState<'github' | 'gitlab'>('github');
  const [baseUrl, setBaseUrl] = useState(defaults.gitlab);
  const [token, setTokenValue] = useState('');
  const [repo, setRepo] = useState('');
  const kind = flavour === 'plain' ? webhookKind : flavour;
  const plain = flavour === 'plain';
  const test = useMutation<string, Error, void>({
    mutationFn: async () =>
      plain
        ? gitSummary(
            await settingsApi.checkGitServer({
              repositoryUrl: repo.trim(),
              token: token.trim(),
              baseUrl: baseUrl.trim(),
            }),
          )
        : tokenSummary(await settingsApi.checkNewToken({ kind, baseUrl: baseUrl.trim(), token: token.trim() })),
  });
  const save = useMutation({
    mutationFn: () =>
      settingsApi.createGitProvider({
        kind,
        baseUrl: baseUrl.trim(),
        token: token.trim(),
        verify: !plain,
        providerApi: !plain,
      }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['git-providers'] });
      toast(`Git connection ${created.baseUrl} added`);
      setTokenValue('');
      test.reset();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Add a Git connection">
      <h2>Add a Git connection</h2>
      <label htmlFor="git-flavour">Git server</label>
      <select
        id="git-flavour"
        value={flavour}
        onChange={(e) => {
          const next = e.target.value as Flavour;
          setFlavour(next);
          setBaseUrl(defaults[next]);
          test.reset();
        }}
      >
        <option value="gitlab">GitLab</option>
        <option value="github">GitHub</option>
        <option value="plain">Plain git server (no GitLab/GitHub API)</option>
      </select>
      {plain && (
        <>
          <label htmlFor="git-webhook-kind">Its webhooks look like</label>
          <select
            id="git-webhook-kind"
            value={webhookKind}
            onChange={(e) => setWebhookKind(e.target.value as 'github' | 'gitlab')}
            aria-describedby="git-plain-help"
          >
            <option value="github">GitHub (X-Hub-Signature-256)</option>
            <option value="gitlab">GitLab (X-Gitlab-Token)</option>
          </select>
          <p id="git-plain-help" className="help">
            Kiln cannot check the token through an API here, so it is stored unchecked; test it with a clone of one
            repository. Services on this server pick the provider chosen here. Kiln only clones from it: it posts no
            commit statuses, shows no pipelines and cannot register the webhook there (add it by hand).
          </p>
        </>
      )}
      <label htmlFor="git-base-url">Address</label>
      <input
        id="git-base-url"
        type="url"
        required
        placeholder="https://git.example.com"
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        aria-describedby="git-base-url-help"
      />
      <p id="git-base-url-help" className="help">
        The token is sent only to exactly this scheme, host and port.
      </p>
      <label htmlFor="git-token">Access token</label>
      <input
        id="git-token"
        type="password"
        autoComplete="off"
        required
        value={token}
        onChange={(e) => setTokenValue(e.target.value)}
        aria-describedby="git-token-help"
      />
      <p id="git-token-help" className="help">
        {flavour === 'gitlab'
          ? 'A GitLab personal or project access token with the api scope.'
          : flavour === 'github'
            ? 'A GitHub token with repo (classic), or Contents read and Commit statuses write (fine-grained).'
            : 'The password or token the git server accepts over HTTPS.'}
      </p>
      {plain && (
        <>
          <label htmlFor="git-test-repo">Repository to test with</label>
          <input
            id="git-test-repo"
            type="url"
            placeholder={`${baseUrl || 'https://git.example.com'}/team/app.git`}
            value={repo}
            onChange={(e) => setRepo(e.target.value)}
          />
        </>
      )}
      <CheckResult check={test} describe={(text) => text} label="Git connection test" />
      {save.isError && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="secondary"
          disabled={!token.trim() || (plain ? !repo.trim() : !baseUrl.trim()) || test.isPending}
          onClick={() => test.mutate()}
        >
          Test connection
        </button>
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Connecting…' : 'Add connection'}
        </button>
      </div>
    </form>
  );
}
