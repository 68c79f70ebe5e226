/** One denied permission; omitted fields match everything. `resource` may name a subresource (`pods/log`). */
export interface DenyRule {
  verb?: string;
  resource?: string;
  namespace?: string;
}

/**
 * The fake's authorizer. Everything is allowed until a test denies something, which is how a cluster
 * administrator's missing RoleBinding looks to Kiln.
 */
export class Rbac {
  private rules: DenyRule[] = [];

  deny(rule: DenyRule): void {
    this.rules.push(rule);
  }

  allowAll(): void {
    this.rules = [];
  }

  allows(verb: string, resource: string, namespace: string | undefined): boolean {
    return !this.rules.some(
      (rule) =>
        (rule.verb === undefined || rule.verb === verb) &&
        (rule.resource === undefined || rule.resource === resource) &&
        (rule.namespace === undefined || rule.namespace === namespace),
    );
  }
}
