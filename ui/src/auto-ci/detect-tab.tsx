import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { kiln } from '../api/endpoints';
import { BuildWizard } from '../build-wizard/build-wizard';
import type { DetectionResult, Service, SubprojectSetting } from '../api/types';
import { SubprojectTable, mergeRows } from './subproject-table';

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
