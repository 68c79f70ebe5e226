/**
 * Who may do what in Kiln (the API's rules in api/auth.ts and api/scope.ts apply these). Pure: no I/O.
 * `instance_admin`: the bootstrap user; creates organizations and may act in any (every such action is audited).
 * `org_admin`: users, tokens, Git connections, registries, clusters and webhook secrets of their organization.
 * `member`: services, Auto CI settings, builds, logs and deliveries of their organization.
 */
export const userRoles = ['instance_admin', 'org_admin', 'member'] as const;
export type UserRole = (typeof userRoles)[number];

const rank: Record<UserRole, number> = { member: 0, org_admin: 1, instance_admin: 2 };

/** True when `role` includes everything `required` may do. */
export function roleIncludes(role: UserRole, required: UserRole): boolean {
  return rank[role] >= rank[required];
}
