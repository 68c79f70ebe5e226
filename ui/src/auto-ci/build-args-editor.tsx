import type { ArgRow } from './form-state';

/** Build arguments as key–value rows: plain ones are ARG values, secret ones build secrets whose value stays hidden. */
export function BuildArgsEditor({ rows, onChange }: { rows: ArgRow[]; onChange: (rows: ArgRow[]) => void }) {
  const update = (index: number, patch: Partial<ArgRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="plain">
      <legend>Build arguments</legend>
      {rows.length === 0 && <p className="help">None. Values are passed to the build as ARG values.</p>}
      {rows.some((row) => row.secret) && (
        <p className="help">
          Secret values are never shown again and never become ARGs: read one in a step with{' '}
          <code>RUN --mount=type=secret,id=NAME cat /run/secrets/NAME</code>. Merge-request builds do not get them.
        </p>
      )}
      {rows.map((row, index) => (
        <div className="kv-row secret-kv-row" key={index}>
          <input
            aria-label={`Build argument ${index + 1} name`}
            placeholder="NAME"
            value={row.key}
            readOnly={row.stored}
            onChange={(e) => update(index, { key: e.target.value })}
          />
          <ValueCell row={row} index={index} update={(patch) => update(index, patch)} />
          <label className="check" title={row.stored ? 'Remove the secret to make it a plain argument' : undefined}>
            <input
              type="checkbox"
              aria-label={`Build argument ${index + 1} is secret`}
              checked={row.secret === true}
              disabled={row.stored}
              onChange={(e) => update(index, { secret: e.target.checked })}
            />
            Secret
          </label>
          <button
            type="button"
            className="secondary"
            aria-label={`Remove build argument ${row.key || index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add build argument
      </button>
    </fieldset>
  );
}

/** The value: plain text, a password field for a new secret, or "•••• (set)" with Replace for a stored one. */
function ValueCell({ row, index, update }: { row: ArgRow; index: number; update: (patch: Partial<ArgRow>) => void }) {
  const label = `Build argument ${index + 1} value`;
  if (row.stored && !row.replacing) {
    return (
      <span className="secret-set">
        <span aria-label={label}>•••• (set)</span>
        <button
          type="button"
          className="secondary"
          aria-label={`Replace secret ${row.key}`}
          onClick={() => update({ replacing: true, value: '' })}
        >
          Replace
        </button>
      </span>
    );
  }
  return (
    <span className="secret-set">
      <input
        aria-label={label}
        type={row.secret ? 'password' : 'text'}
        autoComplete={row.secret ? 'new-password' : 'off'}
        placeholder={row.replacing ? 'new value' : 'value'}
        value={row.value}
        onChange={(e) => update({ value: e.target.value })}
      />
      {row.replacing && (
        <button
          type="button"
          className="secondary"
          aria-label={`Keep secret ${row.key}`}
          onClick={() => update({ replacing: false, value: '' })}
        >
          Keep
        </button>
      )}
    </span>
  );
}
