/** Recent webhook deliveries of one service. */
export function DeliveriesPanel({ serviceId }: { serviceId: string }) {
  return <p>{serviceId}</p>;
}
