import { useState } from 'react';
import type { ReactNode } from 'react';
import { Modal } from './modal';

/** What a ref dialog says: its title, field label and id, help text and submit button. */
export interface RefDialogText {
  title: string;
  label: string;
  inputId: string;
  submit: string;
  help?: ReactNode;
}

/** Asks for one Git ref (a branch, or a branch or tag) and starts something on it. */
export function RefDialog(
  props: RefDialogText & {
    defaultRef: string;
    busy: boolean;
    error: string | null;
    onSubmit: (ref: string) => void;
    onClose: () => void;
  },
) {
  const [ref, setRef] = useState(props.defaultRef || 'main');
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit(ref.trim());
        }}
      >
        <label htmlFor={props.inputId}>{props.label}</label>
        <input id={props.inputId} required autoFocus value={ref} onChange={(e) => setRef(e.target.value)} />
        {props.help && <p className="help">{props.help}</p>}
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
            {props.busy ? 'Starting…' : props.submit}
          </button>
        </div>
      </form>
    </Modal>
  );
}
