import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { gitProviders } from '../../db/schema';
import type { AuthUser } from '../deps';
import { visibleTo, withinReach } from '../scope';

/** A stored Git connection row (its token encrypted). */
export type GitConnectionRow = typeof gitProviders.$inferSelect;

/** A Git connection the caller may see, or 404 (other organizations' connections look absent). */
export async function loadVisibleConnection(db: Database, user: AuthUser, id: string): Promise<GitConnectionRow> {
  const [row] = await db
    .select()
    .from(gitProviders)
    .where(visibleTo(user, gitProviders.organizationId, eq(gitProviders.id, id)));
  return withinReach(user, row, `Git provider ${id}`);
}
