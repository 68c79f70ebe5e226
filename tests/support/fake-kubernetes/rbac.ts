/** One denied permission; omitted fields match everything. `resource` may name a subresource (`pods/log`). */
export interface DenyRule {
  verb?: string;
  resource?: string;
  namespace?: string;
}

/** One granted permission, as a Role (`namespace` set) or ClusterRole bound cluster-wide (`namespace` unset). */
export interface AllowRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  namespace?: string;
}

/**
 * The fake's authorizer. Everything is allowed until a test denies something (how a missing RoleBinding looks
 * to Kiln), or until `restrictTo` installs real RBAC rules, after which only what they grant is allowed.
 * Every authorized request is recorded in `used` as `verb group/resource`.
 */
export class Rbac {
  private denials: DenyRule[] = [];
  private grants: AllowRule[] | undefined;
  readonly used = new Set<string>();

  deny(rule: DenyRule): void {
    this.denials.push(rule);
  }

  restrictTo(rules: AllowRule[]): void {
    this.grants = rules;
  }

  allowAll(): void {
    this.denials = [];
    this.grants = undefined;
  }

  /** `namespace` is undefined for cluster-scoped requests; `record: false` for access reviews (no request made). */
  allows(verb: string, resource: string, namespace: string | undefined, group = '', record = true): boolean {
    const denied = this.denials.some(
      (rule) =>
        (rule.verb === undefined || rule.verb === verb) &&
        (rule.resource === undefined || rule.resource === resource) &&
        (rule.namespace === undefined || rule.namespace === namespace),
    );
    const granted =
      this.grants === undefined ||
      this.grants.some(
        (rule) =>
          (rule.namespace === undefined || rule.namespace === namespace) &&
          rule.apiGroups.includes(group) &&
          (rule.resources.includes(resource) || rule.resources.includes('*')) &&
          (rule.verbs.includes(verb) || rule.verbs.includes('*')),
      );
    if (denied || !granted) return false;
    if (record) this.used.add(`${verb} ${group}/${resource}`);
    return true;
  }
}
