import { useState } from 'react';
import { Modal } from '../components/modal';

/** Asks for the branch or tag to run a GitLab pipeline on. */
export function RunPipelineDialog(props: {
  defaultRef: string;
  busy: boolean;
  error: string | null;
  onSubmit: (ref: string) => void;
  onClose: () => void;
}) {
  const [ref, setRef] = useState(props.defaultRef || 'main');
  return (
    <Modal title="Run pipeline" onClose={props.onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(ref.trim());
        }}
      >
        <label htmlFor="pipeline-ref">Branch or tag</label>
        <input id="pipeline-ref" required autoFocus value={ref} onChange={(e) => setRef(e.target.value)} />
        {props.error && (
          <p className="field-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={props.busy || !ref.trim()}>
            {props.busy ? 'Starting…' : 'Run pipeline'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
