import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsApi } from '../api/endpoints';
import type { ApiToken } from '../api/types';
import { useMe } from '../session';
import { NewToken } from './new-token';
import { AddForm, RemoveButton, SettingsItem, SettingsList } from './settings-list';

/** The signed-in user's own API tokens: make one (shown once), revoke one. */
export function TokensSettings() {
  const me = useMe();
  const tokens = useQuery({ queryKey: ['tokens', me.id], queryFn: () => settingsApi.listTokens(me.id) });
  return (
    <SettingsList
      query={tokens}
      what="API tokens"
      whatInMessages="your API tokens"
      empty="No API tokens yet."
      add={<MakeToken userId={me.id} whose={me.name} />}
    >
      {(t) => (
        <SettingsItem
          key={t.id}
          label={`Token ${t.name}`}
          summary={<TokenSummary token={t} />}
          actions={
            <RemoveButton
              label="Revoke"
              queryKey="tokens"
              confirm={`Revoke token ${t.name}? Whatever uses it stops working.`}
              done="Token revoked"
              remove={() => settingsApi.deleteToken(me.id, t.id)}
            />
          }
        />
      )}
    </SettingsList>
  );
}

/** A token's name, when it was made and when it was last used (never its secret, which only its maker saw). */
function TokenSummary({ token }: { token: ApiToken }) {
  return (
    <>
      <strong>{token.name}</strong>{' '}
      <span className="muted">
        made {new Date(token.createdAt).toLocaleDateString()}
        {token.lastUsedAt ? `, last used ${new Date(token.lastUsedAt).toLocaleString()}` : ', never used'}
      </span>
    </>
  );
}

/** Names a new token; its secret is shown once, under the form. */
function MakeToken({ userId, whose }: { userId: string; whose: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => settingsApi.createToken(userId, name.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tokens', userId] });
      setName('');
    },
  });
  return (
    <AddForm title="Make an API token" save={create} submit="Make token">
      <label htmlFor="token-name">Name</label>
      <input id="token-name" required placeholder="ci" value={name} onChange={(e) => setName(e.target.value)} />
      {create.isSuccess && <NewToken token={create.data.token} whose={whose} />}
    </AddForm>
  );
}
