import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { settingsApi } from '../api/endpoints';
import type { Role, User } from '../api/types';
import { CopyButton } from '../components/copy-button';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';
import { useIsInstanceAdmin, useMe } from '../session';

const roleLabel: Record<Role, string> = {
  member: 'Member',
  org_admin: 'Organization admin',
  instance_admin: 'Instance admin',
};

/** A token shown once, right after it was made, with a copy button. */
function NewToken({ token, whose }: { token: string; whose: string }) {
  return (
    <div className="note" role="status">
      <p>
        API token for {whose} (shown only now): <code className="wrap">{token}</code>
      </p>
      <CopyButton label="Copy token" what="Token" getText={() => token} />
    </div>
  );
}

/** Users of the organization (organization admins): add one with a first token, remove one. */
export function UsersSettings() {
  const users = useQuery({ queryKey: ['users'], queryFn: settingsApi.listUsers, retry: false });
  const me = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const instanceAdmin = useIsInstanceAdmin();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const create = useMutation({
    mutationFn: () => settingsApi.createUser({ name: name.trim(), role }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      setName('');
    },
  });
  const remove = useMutation({
    mutationFn: (user: User) => settingsApi.deleteUser(user.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      toast('User removed');
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <div className="settings-section">
      <QueryState query={users} what="users">
        {(page) => (
          <ul className="settings-list" aria-label="Users">
            {page.items.map((u) => (
              <li key={u.id} className="settings-item settings-item-head" aria-label={`User ${u.name}`}>
                <div>
                  <strong>{u.name}</strong> <span className="muted">{roleLabel[u.role]}</span>
                </div>
                {u.id !== me.id && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => window.confirm(`Remove user ${u.name} and their tokens?`) && remove.mutate(u)}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <form className="form card" onSubmit={submit} aria-label="Add a user">
        <h2>Add a user</h2>
        <label htmlFor="user-name">Name</label>
        <input id="user-name" required value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="user-role">Role</label>
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="member">Member: services, builds, logs</option>
          <option value="org_admin">Organization admin: also connections, registries, clusters, users</option>
          {instanceAdmin && <option value="instance_admin">Instance admin: every organization</option>}
        </select>
        {create.isError && (
          <p className="field-error" role="alert">
            {create.error.message}
          </p>
        )}
        {create.isSuccess && <NewToken token={create.data.token} whose={create.data.name} />}
        <div className="form-actions">
          <button type="submit" disabled={create.isPending}>
            Add user
          </button>
        </div>
      </form>
    </div>
  );
}

/** The signed-in user's own API tokens: make one (shown once), revoke one. */
export function TokensSettings() {
  const me = useMe();
  const tokens = useQuery({ queryKey: ['tokens', me.id], queryFn: () => settingsApi.listTokens(me.id) });
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => settingsApi.createToken(me.id, name.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tokens', me.id] });
      setName('');
    },
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) => settingsApi.deleteToken(me.id, tokenId),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['tokens', me.id] });
      toast('Token revoked');
    },
    onError: (error) => toast(error.message, 'error'),
  });
  return (
    <div className="settings-section">
      <QueryState query={tokens} what="your API tokens">
        {(page) => (
          <ul className="settings-list" aria-label="API tokens">
            {page.items.map((t) => (
              <li key={t.id} className="settings-item settings-item-head" aria-label={`Token ${t.name}`}>
                <div>
                  <strong>{t.name}</strong>{' '}
                  <span className="muted">
                    made {new Date(t.createdAt).toLocaleDateString()}
                    {t.lastUsedAt ? `, last used ${new Date(t.lastUsedAt).toLocaleString()}` : ', never used'}
                  </span>
                </div>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    window.confirm(`Revoke token ${t.name}? Whatever uses it stops working.`) && revoke.mutate(t.id)
                  }
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <form
        className="form card"
        aria-label="Make an API token"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2>Make an API token</h2>
        <label htmlFor="token-name">Name</label>
        <input id="token-name" required placeholder="ci" value={name} onChange={(e) => setName(e.target.value)} />
        {create.isError && (
          <p className="field-error" role="alert">
            {create.error.message}
          </p>
        )}
        {create.isSuccess && <NewToken token={create.data.token} whose={me.name} />}
        <div className="form-actions">
          <button type="submit" disabled={create.isPending}>
            Make token
          </button>
        </div>
      </form>
    </div>
  );
}
