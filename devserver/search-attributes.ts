// Search attributes: the system ones every namespace has, the custom ones registered per namespace (OperatorService),
// and the check every incoming value passes, which also stamps its payload with the `type` the SDK decodes by.
import { IndexedValueType as T, pascalName, TaskFailedCause } from './codes';
import type { Ctx } from './context';
import { invalidArgument } from './errors';
import { decodePayload, jsonPayload, type Command, type Payload } from './proto';

/** Attributes the server keeps in its own columns (a workflow cannot set them), as the real server lists them. */
export const SYSTEM_ATTRIBUTES: Readonly<Record<string, number>> = {
  WorkflowId: T.KEYWORD,
  RunId: T.KEYWORD,
  WorkflowType: T.KEYWORD,
  StartTime: T.DATETIME,
  ExecutionTime: T.DATETIME,
  CloseTime: T.DATETIME,
  ExecutionStatus: T.KEYWORD,
  TaskQueue: T.KEYWORD,
  HistoryLength: T.INT,
  ExecutionDuration: T.INT,
  StateTransitionCount: T.INT,
  HistorySizeBytes: T.INT,
  ParentWorkflowId: T.KEYWORD,
  ParentRunId: T.KEYWORD,
  RootWorkflowId: T.KEYWORD,
  RootRunId: T.KEYWORD,
};

/** Predefined attributes a workflow may set (TemporalChangeVersion by `patched()`) or the server sets (BuildIds). */
const SETTABLE_PREDEFINED: Readonly<Record<string, number>> = {
  TemporalChangeVersion: T.KEYWORD_LIST,
  BinaryChecksums: T.KEYWORD_LIST,
  BuildIds: T.KEYWORD_LIST,
  BatcherNamespace: T.KEYWORD,
  BatcherUser: T.KEYWORD,
  TemporalScheduledStartTime: T.DATETIME,
  TemporalScheduledById: T.KEYWORD,
  TemporalSchedulePaused: T.BOOL,
  TemporalNamespaceDivision: T.KEYWORD,
  TemporalPauseInfo: T.KEYWORD_LIST,
  TemporalReportedProblems: T.KEYWORD_LIST,
};

/** Every predefined attribute; those not settable are the server's alone. */
export const PREDEFINED_ATTRIBUTES: Readonly<Record<string, number>> = {
  ...SETTABLE_PREDEFINED,
  TemporalWorkerDeploymentVersion: T.KEYWORD,
  TemporalWorkflowVersioningBehavior: T.KEYWORD,
  TemporalWorkerDeployment: T.KEYWORD,
  TemporalUsedWorkerDeploymentVersions: T.KEYWORD_LIST,
  TemporalExternalPayloadCount: T.INT,
  TemporalExternalPayloadSizeBytes: T.INT,
};

const RESERVED_FIELDS = new Set(['NamespaceId', 'MemoEncoding', 'Memo', 'VisibilityTaskKey']);

/** True when a custom attribute may not take this name (system, predefined, reserved, or `Temporal…`). */
export function isReservedName(name: string): boolean {
  return (
    name in SYSTEM_ATTRIBUTES || name in PREDEFINED_ATTRIBUTES || RESERVED_FIELDS.has(name) || /^Temporal/.test(name)
  );
}

/** The name the real server gives a type in payload metadata and messages: `KEYWORD_LIST` → `KeywordList`. */
export function typeName(type: number): string {
  const entry = Object.entries(T).find(([, value]) => value === type);
  return entry ? pascalName(entry[0]) : String(type);
}

/** A JSON payload carrying its search attribute type, as the real server writes the values it sets itself. */
export function typedJsonPayload(value: unknown, type: number): Payload {
  const payload = jsonPayload(value);
  return { ...payload, metadata: { ...payload.metadata, type: Buffer.from(typeName(type)) } };
}

/** The custom attributes registered in a namespace (name → IndexedValueType); the map is the stored one. */
export function customAttributes(ctx: Ctx, namespace: string): Record<string, number> {
  const ns = ctx.state.namespaces.get(namespace);
  if (!ns) return {};
  ns.searchAttributes ??= {};
  return ns.searchAttributes;
}

/** The type of any attribute a namespace knows (custom, predefined or system), or undefined. */
export function attributeType(ctx: Ctx, namespace: string, name: string): number | undefined {
  return customAttributes(ctx, namespace)[name] ?? PREDEFINED_ATTRIBUTES[name] ?? SYSTEM_ATTRIBUTES[name];
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isDatetime = (v: unknown) => isString(v) && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v));
const SCALAR_CHECKS: Record<number, (v: unknown) => boolean> = {
  [T.TEXT]: isString,
  [T.KEYWORD]: isString,
  [T.INT]: (v) => Number.isInteger(v),
  [T.DOUBLE]: (v) => typeof v === 'number',
  [T.BOOL]: (v) => typeof v === 'boolean',
  [T.DATETIME]: isDatetime,
};

/** True when a decoded value fits the type; null and [] (which remove the attribute) always fit. */
function fitsType(value: unknown, type: number): boolean {
  if (value === null || (Array.isArray(value) && value.length === 0)) return true;
  if (type === T.KEYWORD_LIST) return Array.isArray(value) && value.every(isString);
  const check = SCALAR_CHECKS[type];
  if (!check) return false;
  // A list of values of a scalar type is accepted, as the real server's search-attribute list allowance does.
  return Array.isArray(value) ? value.every(check) : check(value);
}

/** Checks one attribute as the real server's validator does and stamps its payload with the registered type. */
function checkAttribute(ctx: Ctx, namespace: string, name: string, payload: Payload): void {
  if (name in SYSTEM_ATTRIBUTES) throw invalidArgument(`${name} attribute can't be set in SearchAttributes`);
  const type = customAttributes(ctx, namespace)[name] ?? SETTABLE_PREDEFINED[name];
  if (type === undefined) {
    if (name in PREDEFINED_ATTRIBUTES) throw invalidArgument(`${name} attribute can't be set in SearchAttributes`);
    throw invalidArgument(`Namespace ${namespace} has no mapping defined for search attribute ${name}`);
  }
  const value = payload.data ? decodePayload(payload) : null;
  if (value === undefined || !fitsType(value, type)) {
    const shown = payload.data ? Buffer.from(payload.data).toString() : '';
    throw invalidArgument(`invalid value for search attribute ${name} of type ${typeName(type)}: ${shown}`);
  }
  payload.metadata = { ...payload.metadata, type: Buffer.from(typeName(type)) };
}

/**
 * Checks search attributes a client or workflow sends (start, upsert, child, continue-as-new) and stamps each
 * payload with its type, as the real server returns them; throws INVALID_ARGUMENT as the real server does.
 */
export function checkSearchAttributes(
  ctx: Ctx,
  namespace: string,
  fields: Record<string, Payload> | null | undefined,
): Record<string, Payload> | null {
  if (!fields) return null;
  for (const [name, payload] of Object.entries(fields)) checkAttribute(ctx, namespace, name, payload);
  return fields;
}

/** The search attributes a command carries, if any. */
function commandAttributes(cmd: Command): Record<string, Payload> | null | undefined {
  return (
    cmd.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes?.indexedFields ??
    cmd.startChildWorkflowExecutionCommandAttributes?.searchAttributes?.indexedFields ??
    cmd.continueAsNewWorkflowExecutionCommandAttributes?.searchAttributes?.indexedFields
  );
}

/** A workflow task's commands with a bad search attribute fail the task with BAD_SEARCH_ATTRIBUTES; else null. */
export function searchAttributeProblem(
  ctx: Ctx,
  namespace: string,
  commands: Command[],
): { cause: number; message: string } | null {
  try {
    for (const cmd of commands) checkSearchAttributes(ctx, namespace, commandAttributes(cmd));
    return null;
  } catch (err) {
    return { cause: TaskFailedCause.BAD_SEARCH_ATTRIBUTES, message: (err as Error).message };
  }
}
