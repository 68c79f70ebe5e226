// The namespace a call names, checked before any handler runs (also for RPCs the devserver does not implement),
// in the real frontend's interceptor order: a namespace taken from the task token when the request has none, then
// the namespace lookup of every WorkflowService RPC but the namespace and cluster ones (NamespaceNotFound before
// anything else, even before the task token is read), then the per-RPC rules for a missing namespace.
import type { Ctx } from './context';
import { invalidArgument, namespaceNotFound, type GrpcError } from './errors';
import { WORKFLOW_SERVICE } from './rpc-table';
import { decodeToken } from './tokens';

/** Which of the fields that name a namespace a request message has. */
export interface NamespaceFields {
  namespace: boolean;
  taskToken: boolean;
}

/** The request fields the check reads. */
interface NamespacedRequest {
  namespace?: string | null;
  id?: string | null;
  namespaceId?: string | null;
  taskToken?: Uint8Array | null;
}

// WorkflowService RPCs the real frontend answers without resolving the namespace first.
const LOCAL_RPCS = new Set([
  'DeprecateNamespace',
  'DescribeNamespace',
  'ListNamespaces',
  'RegisterNamespace',
  'UpdateNamespace',
  'GetSearchAttributes',
  'GetClusterInfo',
  'GetSystemInfo',
]);
// RPCs that name their namespace by name or by id.
const NAME_OR_ID_RPCS = new Set(['DescribeNamespace', 'DeleteNamespace']);
// Search attribute RPCs, where the namespace is optional (a store without per-namespace attributes ignores it).
const OPTIONAL_RPCS = new Set(['AddSearchAttributes', 'RemoveSearchAttributes', 'ListSearchAttributes']);

const notSet = () => invalidArgument('Namespace not set on request.');

/** The namespace of the run a task token of ours names; undefined for a token this server did not issue. */
function tokenNamespace(ctx: Ctx, token: Uint8Array): string | undefined {
  const decoded = decodeToken(token);
  return decoded ? ctx.state.runs.get(decoded.runId)?.namespace : undefined;
}

/** The rules for the namespace the request itself names (after the lookup). */
function requestProblem(ctx: Ctx, method: string, name: string, req: NamespacedRequest): GrpcError | undefined {
  if (method === 'RegisterNamespace') return name ? undefined : notSet();
  if (NAME_OR_ID_RPCS.has(method)) return name || req.id || req.namespaceId ? undefined : notSet();
  if (OPTIONAL_RPCS.has(method) && !name) return undefined;
  if (!name) return notSet();
  return ctx.state.namespaces.has(name) ? undefined : namespaceNotFound(name);
}

/** Why the real server would refuse this call for its namespace, or undefined to let the handler answer. */
export function namespaceProblem(
  ctx: Ctx,
  service: string,
  method: string,
  fields: NamespaceFields,
  req: NamespacedRequest,
): GrpcError | undefined {
  if (!fields.namespace) return undefined;
  const token = fields.taskToken ? (req.taskToken ?? new Uint8Array()) : undefined;
  const ofToken = token && token.length > 0 ? tokenNamespace(ctx, token) : undefined;
  let name = req.namespace ?? '';
  if (!name && token) {
    if (token.length === 0) return invalidArgument('Task token not set on request.');
    // A token this server did not issue names no run here: the handler answers NOT_FOUND for it.
    if (ofToken === undefined) return undefined;
    name = ofToken;
  }
  if (service === WORKFLOW_SERVICE && !LOCAL_RPCS.has(method)) {
    if (!name) return invalidArgument('Namespace is empty.');
    if (!ctx.state.namespaces.has(name)) return namespaceNotFound(name);
  }
  if (token?.length === 0) return invalidArgument('Task token not set on request.');
  const problem = requestProblem(ctx, method, name, req);
  if (problem) return problem;
  if (ofToken !== undefined && ofToken !== name) {
    return invalidArgument('Operation requested with a token from a different namespace.');
  }
  return undefined;
}
