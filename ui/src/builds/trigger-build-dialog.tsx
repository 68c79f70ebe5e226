import { useState } from 'react';
import { Modal } from '../components/modal';

/** Asks for the branch to build (defaults to `main` or the service's default branch). */
export function TriggerBuildDialog(props: {
  defaultBranch: string;
  busy: boolean;
  error: string | null;
  onSubmit: (branch: string) => void;
  onClose: () => void;
}) {
  const [branch, setBranch] = useState(props.defaultBranch || 'main');
  return (
    <Modal title="Trigger build" onClose={props.onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(branch.trim());
        }}
      >
        <label htmlFor="trigger-branch">Branch</label>
        <input id="trigger-branch" required autoFocus value={branch} onChange={(e) => setBranch(e.target.value)} />
        <p className="help">
          Kiln clones this branch, builds the image, pushes it and deploys it if auto-deploy is on.
        </p>
        {props.error && (
          <p className="field-error" role="alert">
            {props.error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={props.busy || !branch.trim()}>
            {props.busy ? 'Starting…' : 'Start build'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
