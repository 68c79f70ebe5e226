import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../db/client';
import type { SecretCipher } from '../db/crypto';
import type { UserRole } from '../domain/roles';

/** Instance admin, organization admin or member: the one definition is domain/roles.ts. */
export type { UserRole };

/** What the API needs from the outside world; built once by server/start.ts (or a test). */
export interface AppDeps {
  db: Database;
  temporal: Client;
  cipher: SecretCipher;
  config: AppConfig;
  logger?: Logger;
  /** Injected so tests can move time (webhook timestamps, durations). */
  clock?: () => Date;
}

/** API settings that change responses (URLs shown to users). */
export interface AppConfig {
  /** Base URL of Kiln as Git providers reach it; the Production webhook URL. */
  publicUrl: string;
  /** Local/tunnel URL shown to admins only. */
  localUrl?: string;
  temporalNamespace: string;
  temporalUiUrl?: string;
  /** The local builder's isolation (`KILN_LOCAL_ISOLATION`); `chroot` is announced to every signed-in user. */
  localIsolation?: 'oci' | 'chroot';
  /** Where the first start wrote the admin token (`KILN_DATA_DIR/admin-token`), shown on the sign-in page. */
  adminTokenFile?: string;
}

/** The signed-in caller, set by the auth middleware. */
export interface AuthUser {
  id: string;
  organizationId: string;
  role: UserRole;
  name: string;
}

/** Hono environment shared by every router. */
export interface AppEnv {
  Variables: { user: AuthUser };
}
