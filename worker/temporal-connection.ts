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

/**
 * Options for the worker's `NativeConnection.connect`: those above, and no gzip when the frontend is on this
 * machine (the embedded engine), where compressing every task and completion only costs CPU on both sides.
 * `npm run bench -- devserver` measures the difference.
 */
export function workerConnectionOptions(
  target: TemporalTarget,
): ReturnType<typeof temporalConnectionOptions> & { grpcCompression?: { codec: 'none' } } {
  const host = target.address.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return { ...temporalConnectionOptions(target), ...(loopback ? { grpcCompression: { codec: 'none' } } : {}) };
}
