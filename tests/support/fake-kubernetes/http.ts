import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusFailure } from './status';
import { badRequest } from './status';

/** Writes a JSON body with the status code the real API server would use. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendFailure(res: ServerResponse, failure: StatusFailure): void {
  sendJson(res, failure.code, failure.body);
}

/** Reads a JSON request body; a body that does not parse is the API server's 400. */
export async function readJson(req: IncomingMessage): Promise<{ value: unknown } | { failure: StatusFailure }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { failure: badRequest(`the body of the request was in an unknown format: ${(err as Error).message}`) };
  }
}
