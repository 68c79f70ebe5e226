import { statusFailure, type StatusFailure } from './status';

interface PlannedFault {
  method: string;
  path: RegExp;
  failure: StatusFailure;
  remaining: number;
}

/**
 * Requests a test wants answered with an error instead of served, as a briefly overloaded API server (or the load
 * balancer in front of it) answers them. Each planned fault is used up after `times` matching requests.
 */
export class FaultPlan {
  private readonly planned: PlannedFault[] = [];

  /** The next `times` (default 1) `method` requests on a path matching `path` get a 503 ServiceUnavailable. */
  unavailable(method: string, path: RegExp, times = 1): void {
    const failure = statusFailure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    this.planned.push({ method, path, failure, remaining: times });
  }

  /** The failure planned for this request, if any (counting it as used). */
  take(method: string, pathname: string): StatusFailure | undefined {
    const fault = this.planned.find((f) => f.remaining > 0 && f.method === method && f.path.test(pathname));
    if (!fault) return undefined;
    fault.remaining -= 1;
    return fault.failure;
  }

  /** Forgets every fault no request has used up. */
  clear(): void {
    this.planned.length = 0;
  }
}
