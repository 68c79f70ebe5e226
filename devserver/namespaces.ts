// Namespace and cluster RPCs: Register/Describe/ListNamespaces, GetSystemInfo, GetClusterInfo.
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { temporal } from '@temporalio/proto';
import type { Ctx } from './context';
import { GrpcError, invalidArgument, namespaceNotFound } from './errors';
import { duration, enums, toMs } from './proto';
import type { NamespaceRecord } from './state';

/** How long closed runs of `default` are kept (the real dev server keeps one day; builds are looked at longer). */
export const DEFAULT_RETENTION_DAYS = 7;

/** The version string the devserver reports (a Temporal-compatible server line, so SDK checks pass). */
export const SERVER_VERSION = '1.27.0-kiln-devserver';

function describe(ctx: Ctx, ns: NamespaceRecord): object {
  const limits = ctx.payloadLimits;
  return {
    // Only what the devserver does is advertised (eager start, updates): worker heartbeats/commands would make
    // core call RPCs this server lacks.
    namespaceInfo: {
      name: ns.name,
      state: enums.NamespaceState.NAMESPACE_STATE_REGISTERED,
      id: ns.id,
      description: '',
      // workerPollCompleteOnShutdown: ShutdownWorker answers the worker's open polls (worker-handlers.ts), so the
      // SDK lets them end instead of cancelling them, which could lose a task handed to a poll being cancelled.
      capabilities: {
        eagerWorkflowStart: true,
        syncUpdate: true,
        asyncUpdate: true,
        workerPollCompleteOnShutdown: true,
      },
      // The worker enforces these on its completions (sdk-core). Completions are never paginated here, so there is
      // no limit on a recombined completion (0).
      limits: {
        blobSizeLimitError: limits.blobSizeError,
        memoSizeLimitError: limits.memoSizeError,
        workflowTaskCompletionSizeLimitError: 0,
      },
    },
    config: { workflowExecutionRetentionTtl: duration(ns.retentionDays * 86_400_000) },
    isGlobalNamespace: false,
  };
}

function find(ctx: Ctx, name: string | null | undefined, id?: string | null): NamespaceRecord {
  const ns = name ? ctx.state.namespaces.get(name) : [...ctx.state.namespaces.values()].find((n) => n.id === id);
  if (!ns) throw namespaceNotFound(name || id || '');
  return ns;
}

/** Ensures a namespace exists (used for `default` at start-up); stored, so its id survives a restart. */
export function ensureNamespace(ctx: Ctx, name: string): void {
  if (ctx.state.namespaces.has(name)) return;
  ctx.state.namespaces.set(name, { name, id: randomUUID(), retentionDays: DEFAULT_RETENTION_DAYS });
  ctx.persist();
}

/** How long a namespace keeps closed runs, in milliseconds. */
export function retentionMs(ctx: Ctx, namespace: string): number {
  return (ctx.state.namespaces.get(namespace)?.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
}

/** RegisterNamespace: a new namespace with its retention (at least one day). */
export function registerNamespace(ctx: Ctx, req: temporal.api.workflowservice.v1.IRegisterNamespaceRequest): object {
  if (!req.namespace) throw invalidArgument('Namespace is not set on request: pass a namespace name.');
  if (ctx.state.namespaces.has(req.namespace)) {
    throw new GrpcError(GrpcStatus.ALREADY_EXISTS, `Namespace ${req.namespace} already exists.`, {
      type: 'NamespaceAlreadyExistsFailure',
      value: {},
    });
  }
  const retentionDays = Math.max(1, Math.round(toMs(req.workflowExecutionRetentionPeriod) / 86_400_000));
  ctx.state.namespaces.set(req.namespace, { name: req.namespace, id: randomUUID(), retentionDays });
  ctx.persist();
  return {};
}

/** DescribeNamespace by name or id. */
export function describeNamespace(ctx: Ctx, req: temporal.api.workflowservice.v1.IDescribeNamespaceRequest): object {
  return describe(ctx, find(ctx, req.namespace, req.id));
}

/** ListNamespaces (one page: a devserver has few). */
export function listNamespaces(ctx: Ctx): object {
  return { namespaces: [...ctx.state.namespaces.values()].map((ns) => describe(ctx, ns)) };
}

/** GetSystemInfo: the capabilities the SDK checks before using a feature. */
export function systemInfo(): object {
  return {
    serverVersion: SERVER_VERSION,
    capabilities: {
      signalAndQueryHeader: true,
      internalErrorDifferentiation: true,
      activityFailureIncludeHeartbeat: true,
      encodedFailureAttributes: true,
      buildIdBasedVersioning: true,
      upsertMemo: true,
      eagerWorkflowStart: true,
      sdkMetadata: true,
      countGroupByExecutionStatus: true,
    },
  };
}

/** GetClusterInfo. */
export function clusterInfo(): object {
  return {
    supportedClients: {},
    serverVersion: SERVER_VERSION,
    clusterId: 'kiln-devserver',
    clusterName: 'active',
    historyShardCount: 1,
    persistenceStore: 'memory',
    visibilityStore: 'memory',
  };
}
