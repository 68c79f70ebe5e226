import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsApi } from '../api/endpoints';
import type { Role } from '../api/types';
import { useIsInstanceAdmin, useMe } from '../session';
import { NewToken } from './new-token';
import { AddForm, RemoveButton, SettingsItem, SettingsList } from './settings-list';

const roleLabel: Record<Role, string> = {
  member: 'Member',
  org_admin: 'Organization admin',
  instance_admin: 'Instance admin',
};

/** Users of the organization (organization admins): add one with a first token, remove one. */
export function UsersSettings() {
  const users = useQuery({ queryKey: ['users'], queryFn: settingsApi.listUsers, retry: false });
  const me = useMe();
  return (
    <SettingsList query={users} what="Users" empty="No users yet." add={<AddUser />}>
      {(u) => (
        <SettingsItem
          key={u.id}
          label={`User ${u.name}`}
          summary={
            <>
              <strong>{u.name}</strong> <span className="muted">{roleLabel[u.role]}</span>
            </>
          }
          actions={
            u.id !== me.id && (
              <RemoveButton
                queryKey="users"
                confirm={`Remove user ${u.name} and their tokens?`}
                done="User removed"
                remove={() => settingsApi.deleteUser(u.id)}
              />
            )
          }
        />
      )}
    </SettingsList>
  );
}

/** Name and role of a new user; their first API token is shown once, under the form. */
function AddUser() {
  const queryClient = useQueryClient();
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
  return (
    <AddForm title="Add a user" save={create} submit="Add user">
      <label htmlFor="user-name">Name</label>
      <input id="user-name" required value={name} onChange={(e) => setName(e.target.value)} />
      <label htmlFor="user-role">Role</label>
      <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        <option value="member">Member: services, builds, logs</option>
        <option value="org_admin">Organization admin: also connections, registries, clusters, users</option>
        {instanceAdmin && <option value="instance_admin">Instance admin: every organization</option>}
      </select>
      {create.isSuccess && <NewToken token={create.data.token} whose={create.data.name} />}
    </AddForm>
  );
}
