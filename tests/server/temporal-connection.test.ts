// How Kiln's worker connects to Temporal: gzip (the SDK default) to a remote cluster, none to a frontend on this
// machine, where compressing every task and completion only costs CPU (`npm run bench -- devserver` measures it).
import { describe, expect, it } from 'vitest';
import { workerConnectionOptions } from '../../worker/temporal-connection';

describe('worker connection options', () => {
  it('turns gzip off for a loopback frontend, keeping the key and TLS setting', () => {
    for (const address of ['127.0.0.1:7233', '127.0.0.53:40111', 'localhost:7233', '[::1]:7233']) {
      expect(workerConnectionOptions({ address, apiKey: 'kiln_key', tls: false })).toEqual({
        address,
        apiKey: 'kiln_key',
        tls: false,
        grpcCompression: { codec: 'none' },
      });
    }
  });

  it('leaves the SDK default (gzip) for any other host', () => {
    for (const address of [
      'temporal.example.com:7233',
      '10.0.0.5:7233',
      '127.example.com:7233',
      '[2001:db8::1]:7233',
    ]) {
      expect(workerConnectionOptions({ address })).toEqual({ address });
    }
  });
});
