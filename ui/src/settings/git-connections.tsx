import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsApi } from '../api/endpoints';
import type { GitCheck, GitProvider, GitProviderKind, TokenCheck } from '../api/types';
import { useToast } from '../components/toast';
import { useGitProviders } from '../services/prerequisites';
import { useIsAdmin } from '../session';
import { CheckResult } from './check-result';
import { AddForm, RemoveButton, SettingsItem, SettingsList } from './settings-list';

type Flavour = 'gitlab' | 'github' | 'plain';
const defaults: Record<Flavour, string> = { gitlab: 'https://gitlab.com', github: 'https://github.com', plain: '' };
const kindLabel = { gitlab: 'GitLab', github: 'GitHub' } as const;
const tokenHelp: Record<Flavour, string> = {
  gitlab: 'A GitLab personal or project access token with the api scope.',
  github: 'A GitHub token with repo (classic), or Contents read and Commit statuses write (fine-grained).',
  plain: 'The password or token the git server accepts over HTTPS.',
};

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
  const admin = useIsAdmin();
  return (
    <SettingsList
      query={useGitProviders()}
      what="Git connections"
      empty={
        <>
          No Git connection yet. {admin ? 'Add one below: ' : 'An organization admin adds one: '}
          Kiln clones with its token and reports commit statuses through it.
        </>
      }
      add={admin && <AddConnection />}
    >
      {(p) => <ConnectionRow key={p.id} provider={p} admin={admin} />}
    </SettingsList>
  );
}

function ConnectionRow({ provider, admin }: { provider: GitProvider; admin: boolean }) {
  const check = useMutation<TokenCheck, Error, void>({ mutationFn: () => settingsApi.checkStoredToken(provider.id) });
  const plainServer = provider.providerApi === false;
  const label = plainServer ? 'Plain git server' : kindLabel[provider.kind];
  const name = `${label} ${provider.baseUrl}`;
  const summary = (
    <>
      <strong>{label}</strong> <code className="wrap">{provider.baseUrl}</code>
      <div className="muted">
        {provider.hasToken ? 'Token stored' : 'No token (its address changed): enter it again'}
        {plainServer &&
          ` · webhooks like ${kindLabel[provider.kind]}'s; clones only: no commit statuses, pipelines or webhook registration`}
      </div>
    </>
  );
  const actions = admin && (
    <>
      {!plainServer && (
        <button type="button" className="secondary" onClick={() => check.mutate()} disabled={check.isPending}>
          Test connection
        </button>
      )}
      <RemoveButton
        queryKey="git-providers"
        confirm={`Remove the Git connection ${name}?`}
        done={`Git connection ${provider.baseUrl} removed`}
        remove={() => settingsApi.deleteGitProvider(provider.id)}
      />
    </>
  );
  return (
    <SettingsItem label={name} summary={summary} actions={actions}>
      <CheckResult check={check} describe={tokenSummary} label={`Test of ${name}`} />
      {admin && <CloneTest provider={provider} name={name} />}
    </SettingsItem>
  );
}

/** "Test a clone of": `git ls-remote` of one repository with the stored token. */
function CloneTest({ provider, name }: { provider: GitProvider; name: string }) {
  const [repo, setRepo] = useState('');
  const gitCheck = useMutation<GitCheck, Error, void>({
    mutationFn: () => settingsApi.checkGitServer({ repositoryUrl: repo.trim(), connectionId: provider.id }),
  });
  return (
    <>
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
      <CheckResult check={gitCheck} describe={gitSummary} label={`Clone test of ${name}`} />
    </>
  );
}

/** The add form's state: which server, its address and token, and the test and save calls. */
function useAddConnection() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [flavour, setFlavour] = useState<Flavour>('gitlab');
  const [webhookKind, setWebhookKind] = useState<GitProviderKind>('github');
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
  const chooseFlavour = (next: Flavour) => {
    setFlavour(next);
    setBaseUrl(defaults[next]);
    test.reset();
  };
  const fields = { flavour, webhookKind, baseUrl, token, repo };
  const setters = { chooseFlavour, setWebhookKind, setBaseUrl, setTokenValue, setRepo };
  return { fields, setters, plain, test, save };
}

type ConnectionForm = ReturnType<typeof useAddConnection>;

function AddConnection() {
  const form = useAddConnection();
  const { fields, plain, test } = form;
  const testButton = (
    <button
      type="button"
      className="secondary"
      disabled={!fields.token.trim() || (plain ? !fields.repo.trim() : !fields.baseUrl.trim()) || test.isPending}
      onClick={() => test.mutate()}
    >
      Test connection
    </button>
  );
  return (
    <AddForm
      title="Add a Git connection"
      save={form.save}
      submit="Add connection"
      pending="Connecting…"
      test={testButton}
    >
      <ServerFields form={form} />
      <TokenFields form={form} />
      <CheckResult check={test} describe={(text) => text} label="Git connection test" />
    </AddForm>
  );
}

/** Which Git server, and for a plain one, which provider's webhooks it sends. */
function ServerFields({ form: { fields, setters, plain } }: { form: ConnectionForm }) {
  return (
    <>
      <label htmlFor="git-flavour">Git server</label>
      <select
        id="git-flavour"
        value={fields.flavour}
        onChange={(e) => setters.chooseFlavour(e.target.value as Flavour)}
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
            value={fields.webhookKind}
            onChange={(e) => setters.setWebhookKind(e.target.value as GitProviderKind)}
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
    </>
  );
}

/** The server's address, the token sent only there and, for a plain server, a repository to test it with. */
function TokenFields({ form: { fields, setters, plain } }: { form: ConnectionForm }) {
  return (
    <>
      <label htmlFor="git-base-url">Address</label>
      <input
        id="git-base-url"
        type="url"
        required
        placeholder="https://git.example.com"
        value={fields.baseUrl}
        onChange={(e) => setters.setBaseUrl(e.target.value)}
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
        value={fields.token}
        onChange={(e) => setters.setTokenValue(e.target.value)}
        aria-describedby="git-token-help"
      />
      <p id="git-token-help" className="help">
        {tokenHelp[fields.flavour]}
      </p>
      {plain && (
        <>
          <label htmlFor="git-test-repo">Repository to test with</label>
          <input
            id="git-test-repo"
            type="url"
            placeholder={`${fields.baseUrl || 'https://git.example.com'}/team/app.git`}
            value={fields.repo}
            onChange={(e) => setters.setRepo(e.target.value)}
          />
        </>
      )}
    </>
  );
}
