import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { defaultProviderBaseUrl } from '../../../domain/connections';
import { settingsApi } from '../api/endpoints';
import type { GitProviderKind } from '../api/types';
import { useToast } from '../components/toast';
import { CheckResult } from './check-result';
import { gitSummary, tokenSummary } from './git-check-text';
import { AddForm } from './settings-list';

type Flavour = 'gitlab' | 'github' | 'plain';
// A plain git server has no public default: its address is always typed.
const defaults: Record<Flavour, string> = { ...defaultProviderBaseUrl, plain: '' };
const tokenHelp: Record<Flavour, string> = {
  gitlab: 'A GitLab personal or project access token with the api scope.',
  github: 'A GitHub token with repo (classic), or Contents read and Commit statuses write (fine-grained).',
  plain: 'The password or token the git server accepts over HTTPS.',
};

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

/** The Add a Git connection form: GitLab, GitHub or a plain git server, tested before it is saved. */
export function AddConnection() {
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
