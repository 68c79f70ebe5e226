// API-key admission: every WorkflowService call must carry `authorization: Bearer <key>` (the SDK's `apiKey`).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GrpcError } from './errors';

/**
 * A fresh random key, URL-safe (it travels in a header and may be typed into a shell). The `kiln_` prefix keeps it
 * from starting with a dash, which a command line would read as an option, and lets secret scanners recognise it.
 */
export function generateApiKey(): string {
  return `kiln_${randomBytes(32).toString('base64url')}`;
}

/**
 * A check for one key: returns UNAUTHENTICATED for a call without the key or with another one. Both sides are
 * hashed before the constant-time compare, so neither the key's length nor its bytes leak through timing.
 */
export function apiKeyCheck(apiKey: string): (metadata: Metadata) => GrpcError | undefined {
  const expected = digest(apiKey);
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    const presented = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header.trim())?.[1] : undefined;
    if (presented === undefined) {
      return new GrpcError(
        GrpcStatus.UNAUTHENTICATED,
        'this Temporal endpoint requires an API key: connect with the apiKey option (authorization: Bearer <key>)',
      );
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      return new GrpcError(GrpcStatus.UNAUTHENTICATED, 'the API key is not valid for this Temporal endpoint');
    }
    return undefined;
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
