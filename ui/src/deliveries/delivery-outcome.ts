import type { Delivery } from '../api/types';

/** What a delivery led to, as GitHub's Recent Deliveries would badge it. */
export type DeliveryOutcome =
  { kind: 'built'; text: string } | { kind: 'skipped'; text: string } | { kind: 'rejected'; text: string };

/**
 * Rejected: Kiln refused it (4xx/5xx). Built: it started a build. Skipped: accepted (200) but nothing built, with
 * the reason Kiln answered (`branch_filtered`, `fork_merge_request`, …), so a skip never looks like a success.
 */
export function deliveryOutcome(d: Delivery): DeliveryOutcome {
  if (d.statusCode >= 400) return { kind: 'rejected', text: `Rejected (${d.statusCode})` };
  const builds = Array.isArray(d.response.builds) ? d.response.builds.length : 0;
  if (d.buildId || builds > 0) return { kind: 'built', text: builds > 1 ? `Built (${builds} services)` : 'Built' };
  const reason = typeof d.response.reason === 'string' ? d.response.reason.replace(/_/g, ' ') : 'nothing to build';
  return { kind: 'skipped', text: `Skipped: ${reason}` };
}
