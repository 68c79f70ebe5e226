// The Build Wizard's REST calls (POST/PUT /services/{id}/dockerfile, …/merge-request).
import { api } from '../api/client';

/** What `POST /services/{id}/dockerfile` proposes. */
export interface DockerfileProposal {
  dockerfile: string;
  dockerignore: string;
  reasons: string[];
  detected: {
    path: string;
    language: string | null;
    framework: string | null;
    packageManager: string | null;
    dockerfilePath: string | null;
    port: number | null;
    buildType: 'single' | 'mono';
    subprojects: Array<{ name: string; path: string; language: string | null }>;
  };
  ref: string;
  sha: string;
}

/** The merge/pull request the wizard opened or found. */
export interface WizardChangeRequest {
  provider: 'gitlab' | 'github';
  number: number;
  url: string;
  created: boolean;
}

export interface WizardFiles {
  dockerfile: string;
  dockerignore: string;
  path?: string;
}

const at = (id: string) => `/services/${encodeURIComponent(id)}/dockerfile`;

/** Typed Build Wizard calls. */
export const wizard = {
  propose: (serviceId: string, path?: string) =>
    api<DockerfileProposal>(at(serviceId), { method: 'POST', body: path ? { path } : {} }),
  useForBuilds: (serviceId: string, files: WizardFiles) =>
    api<{ dockerfile: string | null }>(at(serviceId), { method: 'PUT', body: files }),
  openChangeRequest: (serviceId: string, files: WizardFiles) =>
    api<WizardChangeRequest>(`${at(serviceId)}/merge-request`, { method: 'POST', body: files }),
};
