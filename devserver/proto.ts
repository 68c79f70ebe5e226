// Shared protobuf access for the devserver: the reflection root shipped in @temporalio/proto plus small converters.
import { createRequire } from 'node:module';
import Long from 'long';
import type { temporal } from '@temporalio/proto';

/** The slice of a protobufjs reflection type the gRPC wiring needs. */
export interface ReflectedType {
  decode(buf: Uint8Array): object;
  encode(msg: object): { finish(): Uint8Array };
  fromObject(obj: object): object;
}
/** The slice of the protobufjs reflection root the devserver uses (services, google.rpc.Status). */
export interface ProtoRoot {
  lookupService(name: string): { methodsArray: { name: string; requestType: string; responseType: string }[] };
  lookupType(name: string): ReflectedType;
  temporal: typeof temporal;
}

// @temporalio/proto is CommonJS with a patched root; require keeps the exact object the SDK uses.
const root = createRequire(import.meta.url)('@temporalio/proto') as ProtoRoot;
/** The generated message namespaces the devserver reads and writes. */
export const api = root.temporal.api;
/** The reflection root (services, google.rpc.Status, Any). */
export const protoRoot = root;

/** One event of a workflow history. */
export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
/** One encoded value (metadata plus bytes), as the SDK's data converter writes it. */
export type Payload = temporal.api.common.v1.IPayload;
/** A list of encoded values: arguments, results, details. */
export type Payloads = temporal.api.common.v1.IPayloads;
/** A failure as the SDK encodes it, with its cause chain. */
export type Failure = temporal.api.failure.v1.IFailure;
/** A protobuf Duration; seconds arrive as a Long from the wire and a number from our own code. */
export type Duration = { seconds?: Long | number | null; nanos?: number | null };
/** A protobuf Timestamp (the same shape as a Duration, counted from the epoch). */
export type Timestamp = Duration;
/** An activity's or workflow's retry policy as the caller gave it. */
export type RetryPolicy = temporal.api.common.v1.IRetryPolicy;
/** One command of a workflow task completion. */
export type Command = temporal.api.command.v1.ICommand;

/** The enum value sets the devserver uses, as protobufjs exposes them (name → number). */
export const enums = api.enums.v1;

type AttrKey = Extract<keyof HistoryEvent, `${string}EventAttributes`>;
/** Event names such as `ActivityTaskScheduled`, derived from the HistoryEvent attribute fields. */
export type EventName = AttrKey extends `${infer P}EventAttributes` ? Capitalize<P> : never;
/** A message type as the devserver builds it: numbers allowed for int64, nested messages as plain objects. */
export type Loose<T> = T extends Long
  ? Long | number
  : T extends Uint8Array
    ? Uint8Array
    : T extends (infer U)[]
      ? Loose<U>[]
      : T extends object
        ? { [K in keyof T]?: Loose<T[K]> | null }
        : T;
/** The attributes message of one event name. */
export type AttrsOf<N extends EventName> = Loose<NonNullable<HistoryEvent[`${Uncapitalize<N>}EventAttributes`]>>;

/** The EventType number for an event name (`ActivityTaskScheduled` → EVENT_TYPE_ACTIVITY_TASK_SCHEDULED). */
export function eventTypeOf(name: EventName): number {
  const key = `EVENT_TYPE_${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
  const value = (enums.EventType as unknown as Record<string, number>)[key];
  if (value === undefined) throw new Error(`unknown event type ${name}`);
  return value;
}

/** The attribute field name of an event name. */
export function attrField(name: EventName): AttrKey {
  return `${name[0]!.toLowerCase()}${name.slice(1)}EventAttributes` as AttrKey;
}

/** Milliseconds since the epoch as a protobuf Timestamp. */
export function timestamp(ms: number): Timestamp {
  return { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

/** A protobuf Duration/Timestamp (or null) in milliseconds; absent → 0. */
export function toMs(value: Duration | null | undefined): number {
  if (!value) return 0;
  const seconds = Long.isLong(value.seconds) ? value.seconds.toNumber() : Number(value.seconds ?? 0);
  return seconds * 1000 + Math.floor((value.nanos ?? 0) / 1_000_000);
}

/** Milliseconds as a protobuf Duration. */
export function duration(ms: number): Duration {
  return { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

/** An int64 field (Long, number or string) as a number. */
export function num(value: Long | number | string | null | undefined): number {
  if (value == null) return 0;
  return Long.isLong(value) ? value.toNumber() : Number(value);
}

/** A JSON value as a `json/plain` payload, the encoding the SDK's default converter reads. */
export function jsonPayload(value: unknown): Payload {
  return {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify(value)),
  };
}

/** Decodes a `json/plain` (or binary/null) payload; other encodings decode to undefined. */
export function decodePayload(payload: Payload | null | undefined): unknown {
  if (!payload) return undefined;
  const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString() : '';
  if (encoding === 'binary/null') return null;
  if (encoding !== 'json/plain' || !payload.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data).toString());
  } catch {
    return undefined;
  }
}
