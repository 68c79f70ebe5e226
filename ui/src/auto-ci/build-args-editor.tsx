import type { ArgRow } from './form-state';

/** Build arguments as key–value rows (passed to the build as ARG values). */
export function BuildArgsEditor({ rows, onChange }: { rows: ArgRow[]; onChange: (rows: ArgRow[]) => void }) {
  const update = (index: number, patch: Partial<ArgRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="plain">
      <legend>Build arguments</legend>
      {rows.length === 0 && <p className="help">None. Values are passed to the build as ARG values.</p>}
      {rows.map((row, index) => (
        <div className="kv-row" key={index}>
          <input
            aria-label={`Build argument ${index + 1} name`}
            placeholder="NAME"
            value={row.key}
            onChange={(e) => update(index, { key: e.target.value })}
          />
          <input
            aria-label={`Build argument ${index + 1} value`}
            placeholder="value"
            value={row.value}
            onChange={(e) => update(index, { value: e.target.value })}
          />
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
