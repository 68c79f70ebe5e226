// gRPC wiring: the services of rpc-table.ts built from @temporalio/proto's reflection root; every call's namespace
// is checked first (namespace-check.ts), methods without a handler answer UNIMPLEMENTED; GrpcError becomes a
// status with google.rpc.Status details.
import {
  Metadata,
  status as GrpcStatus,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Ctx } from './context';
import { GrpcError } from './errors';
import { namespaceProblem, type NamespaceFields } from './namespace-check';
import { protoRoot } from './proto';
import { requestSizeProblem } from './request-size-limits';
import { rpcTable, type Handler } from './rpc-table';
import type { CallInfo } from './worker-handlers';

function statusDetails(err: GrpcError): Metadata {
  const metadata = new Metadata();
  if (!err.detail) return metadata;
  const detailType = protoRoot.lookupType(`temporal.api.errordetails.v1.${err.detail.type}`);
  const value = detailType.encode(detailType.fromObject(err.detail.value)).finish();
  const Status = protoRoot.lookupType('google.rpc.Status');
  const encoded = Status.encode(
    Status.fromObject({
      code: err.code,
      message: err.message,
      // The reflection root keeps proto field names, so Any's field is `type_url`; `typeUrl` would be dropped
      // and the SDK could not tell NamespaceNotFound from any other NOT_FOUND.
      details: [{ type_url: `type.googleapis.com/temporal.api.errordetails.v1.${err.detail.type}`, value }],
    }),
  ).finish();
  metadata.set('grpc-status-details-bin', Buffer.from(encoded));
  return metadata;
}

function callInfo(call: ServerUnaryCall<unknown, unknown>): CallInfo {
  const deadline = call.getDeadline();
  const deadlineMs =
    deadline instanceof Date
      ? deadline.getTime()
      : typeof deadline === 'number' && Number.isFinite(deadline)
        ? deadline
        : Date.now() + 70_000;
  return { deadlineMs, cancelled: () => call.cancelled, onCancel: (fn) => call.on('cancelled', fn) };
}

/** Where a method sits: its service, its name, and the request fields that name a namespace. */
interface MethodInfo {
  service: string;
  name: string;
  fields: NamespaceFields;
}

function unary(ctx: Ctx, method: MethodInfo, handler: Handler | undefined, admit: Admission) {
  const { name } = method;
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    const refused = admit(call.metadata);
    if (refused) {
      callback({ code: refused.code, details: refused.message });
      return;
    }
    // As the real frontend does: namespace first (also for methods without a handler), then payload sizes.
    const badNamespace = namespaceProblem(ctx, method.service, name, method.fields, call.request as object);
    const refusedEarly = badNamespace ?? requestSizeProblem(ctx, name, call.request as object);
    if (refusedEarly) {
      callback({ code: refusedEarly.code, details: refusedEarly.message, metadata: statusDetails(refusedEarly) });
      return;
    }
    if (!handler) {
      callback({
        code: GrpcStatus.UNIMPLEMENTED,
        details: `unknown method ${name}: the Kiln devserver does not implement it`,
      });
      return;
    }
    const fail = (err: unknown) => {
      if (err instanceof GrpcError) {
        callback({ code: err.code, details: err.message, metadata: statusDetails(err) });
        return;
      }
      ctx.log.error({ err, method: name }, 'devserver handler crashed');
      callback({ code: GrpcStatus.INTERNAL, details: `devserver error in ${name}: ${(err as Error)?.message}` });
    };
    // Answer only once what the call changed is on disk: a client never sees a change that a crash could undo.
    const unwritten = (err: unknown) =>
      callback({
        code: GrpcStatus.UNAVAILABLE,
        details: `devserver could not write its database: ${(err as Error).message}`,
      });
    const durable = (answer: () => void) => ctx.durable().then(answer, unwritten);
    new Promise((resolve) => resolve(handler(call.request, callInfo(call)))).then(
      (res) => durable(() => callback(null, res)),
      (err: unknown) => durable(() => fail(err)),
    );
  };
}

/** Decides whether a call may run: undefined admits it, a GrpcError is the answer instead. */
export type Admission = (metadata: Metadata) => GrpcError | undefined;

/** A grpc-js service: its definition and implementation for `Server.addService`. */
export interface GrpcService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** Every service of the RPC table for grpc-js; each method the table lacks answers UNIMPLEMENTED. */
export function devServerServices(ctx: Ctx, admit: Admission = () => undefined): GrpcService[] {
  return Object.entries(rpcTable(ctx)).map(([name, handlers]) => grpcService(ctx, name, handlers, admit));
}

function grpcService(ctx: Ctx, serviceName: string, handlers: Record<string, Handler>, admit: Admission): GrpcService {
  const service = protoRoot.lookupService(serviceName);
  const pkg = serviceName.slice(0, serviceName.lastIndexOf('.'));
  const definition: Record<string, object> = {};
  const implementation: UntypedServiceImplementation = {};
  for (const method of service.methodsArray) {
    const reqType = protoRoot.lookupType(qualified(pkg, method.requestType));
    const resType = protoRoot.lookupType(qualified(pkg, method.responseType));
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (msg: object) => Buffer.from(reqType.encode(reqType.fromObject(msg)).finish()),
      requestDeserialize: (buf: Buffer) => reqType.decode(buf),
      responseSerialize: (msg: object) => Buffer.from(resType.encode(resType.fromObject(msg)).finish()),
      responseDeserialize: (buf: Buffer) => resType.decode(buf),
      originalName: method.name,
    };
    const fields = (reqType as unknown as { fields: Record<string, unknown> }).fields;
    const info = {
      service: serviceName,
      name: method.name,
      fields: { namespace: 'namespace' in fields, taskToken: 'taskToken' in fields },
    };
    implementation[method.name] = unary(ctx, info, handlers[method.name], admit);
  }
  return { definition: definition as ServiceDefinition, implementation };
}

function qualified(pkg: string, typeName: string): string {
  return typeName.includes('.') ? typeName : `${pkg}.${typeName}`;
}
