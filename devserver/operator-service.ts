// OperatorService search attribute RPCs, answered as a real server with SQL visibility (`temporal server
// start-dev`) answers them: custom attributes per namespace, a fixed number per type, idempotent adds and removes.
import type { temporal } from '@temporalio/proto';
import { requireNamespace } from './client-handlers';
import { IndexedValueType } from './codes';
import type { Ctx } from './context';
import { invalidArgument } from './errors';
import {
  customAttributes,
  isReservedName,
  PREDEFINED_ATTRIBUTES,
  SYSTEM_ATTRIBUTES,
  typeName,
} from './search-attributes';

/** How many custom attributes of each type a namespace can have: the real server's SQL columns per type. */
const SLOTS_PER_TYPE: Readonly<Record<number, number>> = {
  [IndexedValueType.BOOL]: 3,
  [IndexedValueType.INT]: 3,
  [IndexedValueType.DOUBLE]: 3,
  [IndexedValueType.DATETIME]: 3,
  [IndexedValueType.KEYWORD]: 10,
  [IndexedValueType.KEYWORD_LIST]: 3,
  [IndexedValueType.TEXT]: 3,
};

function namespaceOf(ctx: Ctx, namespace: string | null | undefined): string {
  if (!namespace) throw invalidArgument('Namespace is not set on request.');
  return requireNamespace(ctx, namespace);
}

function checkNewAttribute(name: string, type: number): void {
  if (isReservedName(name)) throw invalidArgument(`Search attribute ${name} is reserved by system.`);
  if (!Object.values(IndexedValueType).includes(type as never))
    throw invalidArgument(`Unknown search attribute type: ${type}.`);
}

/** AddSearchAttributes: a name already registered keeps its type (the real server skips it, logging a warning). */
export function addSearchAttributes(
  ctx: Ctx,
  req: temporal.api.operatorservice.v1.IAddSearchAttributesRequest,
): object {
  const requested = Object.entries(req.searchAttributes ?? {});
  if (requested.length === 0) throw invalidArgument('SearchAttributes are not set on request.');
  for (const [name, type] of requested) checkNewAttribute(name, type);
  const registered = customAttributes(ctx, namespaceOf(ctx, req.namespace));
  const added: Record<string, number> = {};
  for (const [name, type] of requested) {
    if (name in registered) {
      ctx.log.warn({ name, namespace: req.namespace }, `Search attribute ${name} already exists.`);
      continue;
    }
    const used = [...Object.values(registered), ...Object.values(added)].filter((t) => t === type).length;
    const slots = SLOTS_PER_TYPE[type] ?? 0;
    if (used >= slots) {
      throw invalidArgument(
        `Unable to create search attributes: cannot have more than ${used} search attribute of type ${typeName(type)}.`,
      );
    }
    added[name] = type;
  }
  Object.assign(registered, added);
  ctx.persist();
  return {};
}

/** RemoveSearchAttributes: an unknown name is skipped; a system or predefined one is refused. */
export function removeSearchAttributes(
  ctx: Ctx,
  req: temporal.api.operatorservice.v1.IRemoveSearchAttributesRequest,
): object {
  const names = req.searchAttributes ?? [];
  if (names.length === 0) throw invalidArgument('SearchAttributes are not set on request.');
  const registered = customAttributes(ctx, namespaceOf(ctx, req.namespace));
  for (const name of names) {
    if (!(name in registered) && (name in SYSTEM_ATTRIBUTES || name in PREDEFINED_ATTRIBUTES))
      throw invalidArgument(`Unable to remove non-custom search attributes: ${name}.`);
  }
  for (const name of names) delete registered[name];
  ctx.persist();
  return {};
}

/** ListSearchAttributes: the namespace's custom attributes and the system and predefined ones. */
export function listSearchAttributes(
  ctx: Ctx,
  req: temporal.api.operatorservice.v1.IListSearchAttributesRequest,
): object {
  const custom = customAttributes(ctx, namespaceOf(ctx, req.namespace));
  return {
    customAttributes: { ...custom },
    systemAttributes: { ...SYSTEM_ATTRIBUTES, ...PREDEFINED_ATTRIBUTES },
    storageSchema: {},
  };
}
