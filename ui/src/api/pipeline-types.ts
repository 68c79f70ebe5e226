// Shapes of the GitLab Pipelines routes (`/services/{id}/pipelines`, `/services/{id}/jobs/{jobId}/log`).

/** A GitLab pipeline as `/services/{id}/pipelines` shows it. */
export interface Pipeline {
  id: number;
  iid: number | null;
  status: string;
  ref: string;
  sha: string;
  shortSha: string;
  source: string | null;
  createdAt: string;
  webUrl: string;
  canCancel: boolean;
  canRetry: boolean;
}

/** The Pipelines tab's list, or why there is none. */
export type PipelineList =
  { linked: true; projectPath: string; items: Pipeline[] } | { linked: false; reason: string; message: string };

/** A GitLab job inside a pipeline stage. */
export interface PipelineJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  durationSeconds: number | null;
  failureReason: string | null;
  webUrl: string;
}

/** A pipeline with its jobs grouped by stage. */
export interface PipelineDetail {
  pipeline: Pipeline;
  stages: { name: string; status: string; jobs: PipelineJob[] }[];
}

/** A GitLab job log: numbered lines with ANSI kept and heuristic stderr marks. */
export interface JobLog {
  job: PipelineJob;
  lines: { n: number; text: string; stream: 'stdout' | 'stderr' }[];
  totalLines: number;
  truncated: boolean;
}
