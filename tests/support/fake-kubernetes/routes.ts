import type { ResourceInfo } from './status';
import { resources } from './status';

/** A request path resolved against the API the fake serves. */
export interface Route {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

const groups: Record<string, string> = { '/api/v1': '', '/apis/apps/v1': 'apps' };

/**
 * Maps `/api/v1/namespaces/{ns}/secrets/{name}` and friends to a resource; undefined is a 404 page-not-found,
 * including a resource asked for under the wrong group (`/api/v1/…/deployments`).
 */
export function parseRoute(pathname: string): Route | undefined {
  const prefix = Object.keys(groups).find((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (prefix === undefined) return undefined;
  const group = groups[prefix];
  const parts = pathname.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'namespaces') return undefined;
  if (parts.length <= 2) {
    return group === ''
      ? { info: resources.namespaces!, namespace: undefined, name: parts[1], subresource: undefined }
      : undefined;
  }
  const [, namespace, resource, name, subresource, ...rest] = parts;
  const info = resource ? resources[resource] : undefined;
  if (!info || !info.namespaced || info.group !== group || rest.length > 0) return undefined;
  return { info, namespace, name, subresource };
}

/** The RBAC verb a method maps to, as the API server's request-info resolver does. */
export function verbOf(method: string, hasName: boolean, watch: boolean): string {
  if (method === 'GET') return hasName ? 'get' : watch ? 'watch' : 'list';
  if (method === 'POST') return 'create';
  if (method === 'PUT') return 'update';
  if (method === 'PATCH') return 'patch';
  if (method === 'DELETE') return hasName ? 'delete' : 'deletecollection';
  return method.toLowerCase();
}
