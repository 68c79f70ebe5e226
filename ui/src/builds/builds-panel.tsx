import type { Service } from '../api/types';

/** Builds of one service. */
export function BuildsPanel({ service }: { service: Service; openBuildId: string | undefined }) {
  return <p>{service.name}</p>;
}
