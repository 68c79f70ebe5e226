import { useMutation, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryState } from '../components/query-state';
import { useToast } from '../components/toast';

/**
 * The frame the Git connection, registry and cluster screens share: an optional note, the list (or what to do
 * while it is empty), then the add form (admins only: pass it only to them).
 */
export function SettingsList<T extends { id: string }>(props: {
  query: UseQueryResult<{ items: T[] }>;
  /** Plural noun for the loading and error messages and the list's name, e.g. "Registries". */
  what: string;
  /** The noun in the loading and error messages when it is not `what` in lower case, e.g. "your API tokens". */
  whatInMessages?: string;
  empty: ReactNode;
  note?: ReactNode;
  add?: ReactNode;
  children: (item: T) => ReactNode;
}) {
  return (
    <div className="settings-section">
      {props.note}
      <QueryState query={props.query} what={props.whatInMessages ?? props.what.toLowerCase()}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="empty">{props.empty}</p>
          ) : (
            <ul className="settings-list" aria-label={props.what}>
              {page.items.map((item) => props.children(item))}
            </ul>
          )
        }
      </QueryState>
      {props.add}
    </div>
  );
}

/** One entry of a settings list: what it is, the admin's buttons, and what they found underneath. */
export function SettingsItem(props: { label: string; summary: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <li className="settings-item" aria-label={props.label}>
      <div className="settings-item-head">
        <div>{props.summary}</div>
        {props.actions && <div className="toolbar">{props.actions}</div>}
      </div>
      {props.children}
    </li>
  );
}

/**
 * Remove, after the browser's confirm: refreshes the list under `queryKey` and says so, or shows why the server
 * refused (e.g. a registry a service still uses).
 */
export function RemoveButton(props: {
  queryKey: string;
  confirm: string;
  done: string;
  remove: () => Promise<unknown>;
  /** The button's text when removing is called something else, e.g. "Revoke". */
  label?: string;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: props.remove,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [props.queryKey] });
      toast(props.done);
    },
    onError: (error) => toast(error.message, 'error'),
  });
  return (
    <button type="button" className="secondary" onClick={() => window.confirm(props.confirm) && remove.mutate()}>
      {props.label ?? 'Remove'}
    </button>
  );
}

/** The save a settings form submits: a mutation without variables. */
interface Save {
  mutate: () => void;
  isPending: boolean;
  error: Error | null;
}

/** The add form under a settings list: title, fields, the server's refusal, an optional test button, submit. */
export function AddForm(props: {
  title: string;
  save: Save;
  submit: string;
  /** The submit button's text while saving; without it the text stays `submit`. */
  pending?: string;
  test?: ReactNode;
  children: ReactNode;
}) {
  const { save } = props;
  return (
    <form
      className="form card"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
      {save.error && (
        <p className="field-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        {props.test}
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? (props.pending ?? props.submit) : props.submit}
        </button>
      </div>
    </form>
  );
}
