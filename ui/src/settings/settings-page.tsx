import { href } from '../router';
import { useIsAdmin } from '../session';
import { ClustersSettings } from './clusters';
import { GitConnections } from './git-connections';
import { RegistriesSettings } from './registries';
import { TokensSettings } from './api-tokens';
import { UsersSettings } from './users';

const tabs = [
  { id: 'git', label: 'Git connections' },
  { id: 'registries', label: 'Registries' },
  { id: 'clusters', label: 'Clusters' },
  { id: 'users', label: 'Users', adminOnly: true },
  { id: 'tokens', label: 'My API tokens' },
] as const;

/** Organization settings: what every service builds with. Admins change them; members read them (no secrets). */
export function SettingsPage({ tab }: { tab: string | undefined }) {
  const admin = useIsAdmin();
  const visible = tabs.filter((t) => admin || !('adminOnly' in t));
  const current = visible.find((t) => t.id === tab) ?? visible[0]!;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Organization settings</h1>
          <p className="muted">
            {admin
              ? 'Connect Git, add a registry, then create a service.'
              : 'What your organization builds with. Only organization admins change these.'}
          </p>
        </div>
      </div>
      <nav className="tabs" aria-label="Settings sections">
        {visible.map((t) => (
          <a
            key={t.id}
            href={href('settings', t.id)}
            aria-current={current.id === t.id ? 'page' : undefined}
            className={current.id === t.id ? 'tab active' : 'tab'}
          >
            {t.label}
          </a>
        ))}
      </nav>
      <section className="tab-panel" aria-label={current.label}>
        {current.id === 'git' ? (
          <GitConnections />
        ) : current.id === 'registries' ? (
          <RegistriesSettings />
        ) : current.id === 'clusters' ? (
          <ClustersSettings />
        ) : current.id === 'users' ? (
          <UsersSettings />
        ) : (
          <TokensSettings />
        )}
      </section>
    </>
  );
}
