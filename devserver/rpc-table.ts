// Every RPC the devserver answers, by gRPC service and method name; any method not listed answers UNIMPLEMENTED.
import type { temporal } from '@temporalio/proto';
import { pauseActivity, resetActivity, unpauseActivity, updateActivityOptions } from './activity-control';
import {
  queryWorkflow,
  requestCancelWorkflow,
  signalWithStart,
  signalWorkflow,
  startWorkflow,
  terminateWorkflow,
} from './client-handlers';
import type { Ctx } from './context';
import { clusterInfo, describeNamespace, listNamespaces, registerNamespace, systemInfo } from './namespaces';
import { addSearchAttributes, listSearchAttributes, removeSearchAttributes } from './operator-service';
import { countWorkflows, describeWorkflow, getHistory, listWorkflows } from './read-handlers';
import { resetStickyTaskQueue, resetWorkflow } from './reset';
import {
  answerCanceled,
  answerCompleted,
  answerFailed,
  answerHeartbeat,
  failureWithinLimits,
} from './request-size-limits';
import { pollWorkflowExecutionUpdate, updateWorkflowExecution } from './update-handlers';
import { executeMultiOperation } from './update-with-start';
import {
  activityTokenById,
  pollActivityTask,
  pollWorkflowTask,
  respondQuery,
  shutdownWorker,
  type CallInfo,
} from './worker-handlers';
import { completeWorkflowTask } from './workflow-task-completion';
import { failWorkflowTask } from './workflow-tasks';

/** The request interface of a generated message class (its `create` argument). */
type RequestOf<M> = M extends { create(props?: infer P): unknown } ? NonNullable<P> : never;
type WF = typeof temporal.api.workflowservice.v1;
type Req<N extends keyof WF> = RequestOf<WF[N]>;
type Op = typeof temporal.api.operatorservice.v1;
type OpReq<N extends keyof Op> = RequestOf<Op[N]>;

/** One RPC's implementation: a decoded request in, a response message (or its promise) out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- requests are decoded protobuf messages of many types
export type Handler = (req: any, call: CallInfo) => object | Promise<object>;
/** Handlers by fully qualified service name, then method name. */
export type RpcTable = Record<string, Record<string, Handler>>;

/** The fully qualified name of Temporal's WorkflowService. */
export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
/** The fully qualified name of Temporal's OperatorService. */
export const OPERATOR_SERVICE = 'temporal.api.operatorservice.v1.OperatorService';

// Only table entries, one per RPC: long, but read (and extended) an entry at a time.
// eslint-disable-next-line max-lines-per-function -- a table of entries, not logic
function workflowServiceRpcs(ctx: Ctx): Record<string, Handler> {
  return {
    // Namespaces and cluster
    RegisterNamespace: (req: Req<'RegisterNamespaceRequest'>) => registerNamespace(ctx, req),
    DescribeNamespace: (req: Req<'DescribeNamespaceRequest'>) => describeNamespace(ctx, req),
    ListNamespaces: () => listNamespaces(ctx),
    GetSystemInfo: () => systemInfo(),
    GetClusterInfo: () => clusterInfo(),
    // Starting and changing workflows
    StartWorkflowExecution: (req: Req<'StartWorkflowExecutionRequest'>) => startWorkflow(ctx, req),
    SignalWithStartWorkflowExecution: (req: Req<'SignalWithStartWorkflowExecutionRequest'>) =>
      signalWithStart(ctx, req),
    SignalWorkflowExecution: (req: Req<'SignalWorkflowExecutionRequest'>) => signalWorkflow(ctx, req),
    RequestCancelWorkflowExecution: (req: Req<'RequestCancelWorkflowExecutionRequest'>) =>
      requestCancelWorkflow(ctx, req),
    TerminateWorkflowExecution: (req: Req<'TerminateWorkflowExecutionRequest'>) => terminateWorkflow(ctx, req),
    QueryWorkflow: (req: Req<'QueryWorkflowRequest'>, call) => queryWorkflow(ctx, req, call.deadlineMs),
    ResetWorkflowExecution: (req: Req<'ResetWorkflowExecutionRequest'>) => resetWorkflow(ctx, req),
    ResetStickyTaskQueue: (req: Req<'ResetStickyTaskQueueRequest'>) => resetStickyTaskQueue(ctx, req),
    // Updates and update-with-start
    UpdateWorkflowExecution: (req: Req<'UpdateWorkflowExecutionRequest'>, call) =>
      updateWorkflowExecution(ctx, req, call),
    PollWorkflowExecutionUpdate: (req: Req<'PollWorkflowExecutionUpdateRequest'>, call) =>
      pollWorkflowExecutionUpdate(ctx, req, call),
    ExecuteMultiOperation: (req: Req<'ExecuteMultiOperationRequest'>, call) => executeMultiOperation(ctx, req, call),
    // Reading workflows
    GetWorkflowExecutionHistory: (req: Req<'GetWorkflowExecutionHistoryRequest'>, call) =>
      getHistory(ctx, req, call.deadlineMs),
    DescribeWorkflowExecution: (req: Req<'DescribeWorkflowExecutionRequest'>) => describeWorkflow(ctx, req),
    ListWorkflowExecutions: (req: Req<'ListWorkflowExecutionsRequest'>) => listWorkflows(ctx, req),
    ListOpenWorkflowExecutions: (req: Req<'ListOpenWorkflowExecutionsRequest'>) =>
      listWorkflows(ctx, { ...req, query: 'ExecutionStatus = "Running"' }),
    CountWorkflowExecutions: (req: Req<'CountWorkflowExecutionsRequest'>) => countWorkflows(ctx, req),
    // Workers: polls and task answers
    PollWorkflowTaskQueue: (req: Req<'PollWorkflowTaskQueueRequest'>, call) => pollWorkflowTask(ctx, req, call),
    PollActivityTaskQueue: (req: Req<'PollActivityTaskQueueRequest'>, call) => pollActivityTask(ctx, req, call),
    RespondWorkflowTaskCompleted: (req: Req<'RespondWorkflowTaskCompletedRequest'>) => completeWorkflowTask(ctx, req),
    RespondWorkflowTaskFailed: (req: Req<'RespondWorkflowTaskFailedRequest'>) => (
      failWorkflowTask(ctx, { ...req, failure: failureWithinLimits(ctx, req.failure, 'RespondWorkflowTaskFailed') }),
      {}
    ),
    RespondQueryTaskCompleted: (req: Req<'RespondQueryTaskCompletedRequest'>) => respondQuery(ctx, req),
    ShutdownWorker: (req: Req<'ShutdownWorkerRequest'>) => shutdownWorker(ctx, req),
    // Activity task answers, by task token or by workflow id + activity id (payload size limits in request-size-limits.ts)
    RespondActivityTaskCompleted: (req: Req<'RespondActivityTaskCompletedRequest'>) =>
      answerCompleted(ctx, req.taskToken, req.result, req.identity ?? ''),
    RespondActivityTaskFailed: (req: Req<'RespondActivityTaskFailedRequest'>) =>
      answerFailed(ctx, req.taskToken, req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
    RespondActivityTaskCanceled: (req: Req<'RespondActivityTaskCanceledRequest'>) =>
      answerCanceled(ctx, req.taskToken, req.details, req.identity ?? ''),
    RecordActivityTaskHeartbeat: (req: Req<'RecordActivityTaskHeartbeatRequest'>) =>
      answerHeartbeat(ctx, req.taskToken, req.details, req.identity ?? ''),
    RespondActivityTaskCompletedById: (req: Req<'RespondActivityTaskCompletedByIdRequest'>) =>
      answerCompleted(ctx, activityTokenById(ctx, req), req.result, req.identity ?? ''),
    RespondActivityTaskFailedById: (req: Req<'RespondActivityTaskFailedByIdRequest'>) =>
      answerFailed(ctx, activityTokenById(ctx, req), req.failure, req.lastHeartbeatDetails, req.identity ?? ''),
    RespondActivityTaskCanceledById: (req: Req<'RespondActivityTaskCanceledByIdRequest'>) =>
      answerCanceled(ctx, activityTokenById(ctx, req), req.details, req.identity ?? ''),
    RecordActivityTaskHeartbeatById: (req: Req<'RecordActivityTaskHeartbeatByIdRequest'>) =>
      answerHeartbeat(ctx, activityTokenById(ctx, req), req.details, req.identity ?? ''),
    // Operator controls over pending activities
    PauseActivity: (req: Req<'PauseActivityRequest'>) => pauseActivity(ctx, req),
    UnpauseActivity: (req: Req<'UnpauseActivityRequest'>) => unpauseActivity(ctx, req),
    ResetActivity: (req: Req<'ResetActivityRequest'>) => resetActivity(ctx, req),
    UpdateActivityOptions: (req: Req<'UpdateActivityOptionsRequest'>) => updateActivityOptions(ctx, req),
  };
}

function operatorServiceRpcs(ctx: Ctx): Record<string, Handler> {
  return {
    AddSearchAttributes: (req: OpReq<'AddSearchAttributesRequest'>) => addSearchAttributes(ctx, req),
    RemoveSearchAttributes: (req: OpReq<'RemoveSearchAttributesRequest'>) => removeSearchAttributes(ctx, req),
    ListSearchAttributes: (req: OpReq<'ListSearchAttributesRequest'>) => listSearchAttributes(ctx, req),
  };
}

/** Every RPC the devserver answers, by service. */
export function rpcTable(ctx: Ctx): RpcTable {
  return {
    [WORKFLOW_SERVICE]: workflowServiceRpcs(ctx),
    [OPERATOR_SERVICE]: operatorServiceRpcs(ctx),
  };
}
