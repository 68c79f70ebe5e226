import type { DetectionResult, SubprojectSetting } from '../api/types';

/** A sub-project as the table lists it: detected, saved earlier, or both. */
interface Row {
  name: string;
  path: string;
  dockerfilePath: string;
  language: string | null;
}

/** Detected sub-projects plus any saved earlier that detection no longer lists (so none vanish silently). */
export function mergeRows(detection: DetectionResult | null, selected: SubprojectSetting[]): Row[] {
  const rows: Row[] = (detection?.subprojects ?? []).map((s) => ({
    name: s.name,
    path: s.path,
    dockerfilePath:
      selected.find((x) => x.name === s.name)?.dockerfilePath ?? s.dockerfilePath ?? `${s.path}/Dockerfile`,
    language: [s.language, s.framework].filter(Boolean).join(' · ') || null,
  }));
  for (const saved of selected) if (!rows.some((r) => r.name === saved.name)) rows.push({ ...saved, language: null });
  return rows;
}

interface SelectionProps {
  selected: SubprojectSetting[];
  onSelect: (s: SubprojectSetting[]) => void;
  imagePrefix: string;
}

/** The sub-projects to build: tick one to build it, edit its Dockerfile path (which also selects it). */
export function SubprojectTable({ rows, ...selection }: SelectionProps & { rows: Row[] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h3>Sub-projects</h3>
      <p className="help">Selected sub-projects build in parallel, each into its own image.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Build</th>
              <th scope="col">Sub-project</th>
              <th scope="col">Detected</th>
              <th scope="col">Dockerfile path</th>
              <th scope="col">Image</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <SubprojectRow key={row.name} row={row} {...selection} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SubprojectRow({ row, selected, onSelect, imagePrefix }: SelectionProps & { row: Row }) {
  const chosen = selected.find((s) => s.name === row.name);
  const toggle = (on: boolean) =>
    onSelect(
      on
        ? [...selected, { name: row.name, path: row.path, dockerfilePath: row.dockerfilePath }]
        : selected.filter((s) => s.name !== row.name),
    );
  const setDockerfile = (dockerfilePath: string) =>
    onSelect(
      chosen
        ? selected.map((s) => (s.name === row.name ? { ...s, dockerfilePath } : s))
        : [...selected, { name: row.name, path: row.path, dockerfilePath }],
    );
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Build ${row.name}`}
          checked={chosen !== undefined}
          onChange={(e) => toggle(e.target.checked)}
        />
      </td>
      <td>
        <strong>{row.name}</strong>
        <div className="muted">{row.path}/</div>
      </td>
      <td>{row.language ?? '—'}</td>
      <td>
        <input
          aria-label={`Dockerfile path of ${row.name}`}
          value={chosen?.dockerfilePath ?? row.dockerfilePath}
          onChange={(e) => setDockerfile(e.target.value)}
        />
      </td>
      <td>
        <code>{imagePrefix + row.name}</code>
      </td>
    </tr>
  );
}
