import { detectProject } from '../detect';
import type { DetectionResult } from '../detect';
import { createServiceCheckout, type ServiceCheckoutDeps } from './service-checkout';

/** What "Detect Services" needs: the same as any scratch checkout of a service. */
export type DetectServiceDeps = ServiceCheckoutDeps;

/** What "Detect Services" shows, with the commit it looked at. */
export interface ServiceDetection extends DetectionResult {
  ref: string;
  sha: string;
}

/** The activity behind `POST /services/:id/detect`: clone the branch head, detect, clean up. */
export function createDetectServiceActivities(deps: DetectServiceDeps) {
  const withServiceCheckout = createServiceCheckout(deps);
  return {
    /** Detects what the service's repository is at the head of `branch` (default: the service's default branch). */
    async detectService(input: { serviceId: string; branch?: string }): Promise<ServiceDetection> {
      return withServiceCheckout({ ...input, purpose: 'detect' }, async ({ dir, ref, sha }) => ({
        ...(await detectProject(dir)),
        ref,
        sha,
      }));
    },
  };
}

export type DetectServiceActivities = ReturnType<typeof createDetectServiceActivities>;
