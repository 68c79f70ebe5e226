import type { Service } from '../api/types';
import { Modal } from '../components/modal';

/** Auto CI settings for one service. */
export function AutoCiModal({ service, onClose }: { service: Service; onClose: () => void }) {
  return (
    <Modal title={`Auto CI — ${service.name}`} onClose={onClose}>
      <p>Loading…</p>
    </Modal>
  );
}
