/** Maps GitLab's status labels onto the badge colours builds use. */
export function badgeOf(status: string): string {
  return { Success: 'succeeded', Failed: 'failed', Running: 'building', Pending: 'pending' }[status] ?? 'cancelled';
}
