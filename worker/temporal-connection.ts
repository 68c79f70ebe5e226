/** Where and how Kiln connects to Temporal: one shape for the Client's and the worker's connection. */
export interface TemporalTarget {
  /** `host:port` of the frontend. */
  address: string;
  /** Sent as `authorization: Bearer <key>` on every call (the embedded engine requires it). */
  apiKey?: string;
  /** Unset: the SDK default, which turns TLS on when an API key is given. */
  tls?: boolean;
}

/**
 * Options for `Connection.connect` and `NativeConnection.connect`. The SDK enables TLS whenever `apiKey` is set,
 * so an explicit `tls: false` (the embedded engine, a plain-text cluster) is passed through as it is.
 */
export function temporalConnectionOptions(target: TemporalTarget): { address: string; apiKey?: string; tls?: boolean } {
  return {
    address: target.address,
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    ...(target.tls !== undefined ? { tls: target.tls } : {}),
  };
}
