import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsApi } from '../api/endpoints';
import type { GitCheck, GitProvider, TokenCheck } from '../api/types';
import { useIsAdmin } from '../session';
import { AddConnection } from './add-git-connection';
import { CheckResult } from './check-result';
import { gitSummary, tokenSummary } from './git-check-text';
import { useGitProviders } from './queries';
import { RemoveButton, SettingsItem, SettingsList } from './settings-list';

const kindLabel = { gitlab: 'GitLab', github: 'GitHub' } as const;

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
