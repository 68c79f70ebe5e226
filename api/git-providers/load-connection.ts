import type { Database } from '../../db/client';
import { gitProviders } from '../../db/schema';
import type { AuthUser } from '../deps';
import { loadVisible } from '../scope';

/** A stored Git connection row (its token encrypted). */
export type GitConnectionRow = typeof gitProviders.$inferSelect;

/** A Git connection the caller may see, or 404 (other organizations' connections look absent). */
export function loadVisibleConnection(db: Database, user: AuthUser, id: string): Promise<GitConnectionRow> {
  return loadVisible(db, gitProviders, user, id, 'Git provider');
}
