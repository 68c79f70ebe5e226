import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import { BuildWizard } from '../build-wizard/build-wizard';
import type { DetectionResult, Service, SubprojectSetting } from '../api/types';

interface DetectTabProps {
  service: Service;
  detection: DetectionResult | null;
  onDetected: (result: DetectionResult) => void;
  selected: SubprojectSetting[];
  onSelect: (subprojects: SubprojectSetting[]) => void;
  imagePrefix: string;
}

/** Detect Services: analyses the repository and, for monorepos, lets the user pick sub-projects and Dockerfiles. */
export function DetectTab({ service, detection, onDetected, selected, onSelect, imagePrefix }: DetectTabProps) {
  const detect = useMutation({ mutationFn: () => kiln.detect(service.id), onSuccess: onDetected });
  const [wizardOpen, setWizardOpen] = useState(false);
  return (
    <div>
      <p className="help">
        Kiln clones the default branch and works out the language, framework and Dockerfile. This usually takes a few
        seconds.
      </p>
      <button type="button" onClick={() => detect.mutate()} disabled={detect.isPending}>
        {detect.isPending ? 'Detecting…' : 'Detect Services'}
      </button>{' '}
      <button type="button" onClick={() => setWizardOpen((open) => !open)} aria-expanded={wizardOpen}>
        Build Wizard
      </button>
      {wizardOpen && <BuildWizard serviceId={service.id} provider={service.gitProvider} />}
      {detect.isError && (
        <p className="field-error" role="alert">
          Detection failed: {detect.error.message}
        </p>
      )}
      {detection && <DetectionFacts detection={detection} />}
      <SubprojectTable
        rows={mergeRows(detection, selected)}
        selected={selected}
        onSelect={onSelect}
        imagePrefix={imagePrefix}
      />
    </div>
  );
}

function DetectionFacts({ detection }: { detection: DetectionResult }) {
  return (
    <dl className="facts" aria-label="Detection result">
      <dt>Language</dt>
      <dd>{detection.language ?? 'Not recognised'}</dd>
      <dt>Framework</dt>
      <dd>{detection.framework ?? '—'}</dd>
      <dt>Package Manager</dt>
      <dd>{detection.packageManager ?? '—'}</dd>
      <dt>Build Type</dt>
      <dd>{detection.buildType === 'mono' ? 'Mono-repo' : 'Single-repo'}</dd>
      <dt>TypeScript</dt>
      <dd>{detection.typescript ? 'Yes' : 'No'}</dd>
      <dt>Dockerfile</dt>
      <dd>{detection.dockerfilePath ? `./${detection.dockerfilePath}` : 'None found'}</dd>
    </dl>
  );
}

interface Row {
  name: string;
  path: string;
  dockerfilePath: string;
  language: string | null;
}

/** Detected sub-projects plus any saved earlier that detection no longer lists (so none vanish silently). */
function mergeRows(detection: DetectionResult | null, selected: SubprojectSetting[]): Row[] {
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

function SubprojectTable({
  rows,
  selected,
  onSelect,
  imagePrefix,
}: {
  rows: Row[];
  selected: SubprojectSetting[];
  onSelect: (s: SubprojectSetting[]) => void;
  imagePrefix: string;
}) {
  if (rows.length === 0) return null;
  const isSelected = (name: string) => selected.some((s) => s.name === name);
  const toggle = (row: Row, on: boolean) =>
    onSelect(
      on
        ? [...selected, { name: row.name, path: row.path, dockerfilePath: row.dockerfilePath }]
        : selected.filter((s) => s.name !== row.name),
    );
  const setDockerfile = (row: Row, dockerfilePath: string) =>
    onSelect(
      isSelected(row.name)
        ? selected.map((s) => (s.name === row.name ? { ...s, dockerfilePath } : s))
        : [...selected, { name: row.name, path: row.path, dockerfilePath }],
    );
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
              <tr key={row.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Build ${row.name}`}
                    checked={isSelected(row.name)}
                    onChange={(e) => toggle(row, e.target.checked)}
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
                    value={selected.find((s) => s.name === row.name)?.dockerfilePath ?? row.dockerfilePath}
                    onChange={(e) => setDockerfile(row, e.target.value)}
                  />
                </td>
                <td>
                  <code>{imagePrefix + row.name}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
