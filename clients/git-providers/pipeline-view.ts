/** How Kiln shows a GitLab pipeline or job status (the labels of the Pipelines tab). */
export const pipelineStatusLabels = [
  'Success',
  'Failed',
  'Running',
  'Pending',
  'Canceled',
  'Skipped',
  'Manual',
] as const;
export type PipelineStatusLabel = (typeof pipelineStatusLabels)[number];

// GitLab has more states than the tab shows; the waiting ones all read as Pending.
const labelOf: Record<string, PipelineStatusLabel> = {
  success: 'Success',
  failed: 'Failed',
  running: 'Running',
  canceling: 'Running',
  created: 'Pending',
  waiting_for_resource: 'Pending',
  waiting_for_callback: 'Pending',
  preparing: 'Pending',
  pending: 'Pending',
  scheduled: 'Pending',
  canceled: 'Canceled',
  skipped: 'Skipped',
  manual: 'Manual',
};

/** The tab label for a raw GitLab status. */
export function statusLabel(raw: string): PipelineStatusLabel {
  return labelOf[raw] ?? 'Pending';
}

/** Cancel is offered for running or pending pipelines only. */
export function canCancel(raw: string): boolean {
  const label = statusLabel(raw);
  return (label === 'Running' || label === 'Pending') && raw !== 'canceling';
}

/** Retry is offered for failed or canceled pipelines only. */
export function canRetry(raw: string): boolean {
  const label = statusLabel(raw);
  return label === 'Failed' || label === 'Canceled';
}

/** The fields of a GitLab pipeline Kiln reads. */
export interface GitLabPipeline {
  id: number;
  iid?: number;
  sha: string;
  ref: string;
  status: string;
  source?: string;
  created_at: string;
  updated_at?: string;
  web_url: string;
}

/** A pipeline as the Kiln API returns it. */
export interface PipelineView {
  id: number;
  iid: number | null;
  status: PipelineStatusLabel;
  gitlabStatus: string;
  ref: string;
  sha: string;
  shortSha: string;
  source: string | null;
  createdAt: string;
  updatedAt: string | null;
  webUrl: string;
  canCancel: boolean;
  canRetry: boolean;
}

/** Maps a GitLab pipeline to its API view. */
export function pipelineView(p: GitLabPipeline): PipelineView {
  return {
    id: p.id,
    iid: p.iid ?? null,
    status: statusLabel(p.status),
    gitlabStatus: p.status,
    ref: p.ref,
    sha: p.sha,
    shortSha: p.sha.slice(0, 8),
    source: p.source ?? null,
    createdAt: p.created_at,
    updatedAt: p.updated_at ?? null,
    webUrl: p.web_url,
    canCancel: canCancel(p.status),
    canRetry: canRetry(p.status),
  };
}

/** The fields of a GitLab job Kiln reads. */
export interface GitLabJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  allow_failure?: boolean;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  duration?: number | null;
  failure_reason?: string | null;
  web_url: string;
}

/** A job as the Kiln API returns it. */
export interface JobView {
  id: number;
  name: string;
  stage: string;
  status: PipelineStatusLabel;
  gitlabStatus: string;
  allowFailure: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
  failureReason: string | null;
  webUrl: string;
}

/** One stage of a pipeline with its jobs. */
export interface StageView {
  name: string;
  status: PipelineStatusLabel;
  jobs: JobView[];
}

/**
 * Groups jobs by stage in pipeline order. GitLab's jobs API does not return stage order, but it creates a
 * pipeline's jobs stage by stage, so the lowest job id of each stage orders the stages.
 */
export function groupJobsByStage(jobs: GitLabJob[]): StageView[] {
  const byStage = new Map<string, GitLabJob[]>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) {
    byStage.set(job.stage, [...(byStage.get(job.stage) ?? []), job]);
  }
  return [...byStage.entries()].map(([name, stageJobs]) => ({
    name,
    status: stageStatus(stageJobs),
    jobs: stageJobs.map(jobView),
  }));
}

/** Maps a GitLab job to its API view. */
export function jobView(job: GitLabJob): JobView {
  return {
    id: job.id,
    name: job.name,
    stage: job.stage,
    status: statusLabel(job.status),
    gitlabStatus: job.status,
    allowFailure: job.allow_failure ?? false,
    createdAt: job.created_at,
    startedAt: job.started_at ?? null,
    finishedAt: job.finished_at ?? null,
    durationSeconds: job.duration ?? null,
    failureReason: job.failure_reason ?? null,
    webUrl: job.web_url,
  };
}

// A stage fails when a job that may not fail did, runs while any job runs, and succeeds when all are done.
function stageStatus(jobs: GitLabJob[]): PipelineStatusLabel {
  const labels = jobs.map((job) => ({ label: statusLabel(job.status), allowed: job.allow_failure ?? false }));
  if (labels.some((j) => j.label === 'Failed' && !j.allowed)) return 'Failed';
  if (labels.some((j) => j.label === 'Running')) return 'Running';
  if (labels.some((j) => j.label === 'Pending')) return 'Pending';
  if (labels.some((j) => j.label === 'Canceled')) return 'Canceled';
  if (labels.every((j) => j.label === 'Skipped')) return 'Skipped';
  if (labels.every((j) => j.label === 'Manual' || j.label === 'Skipped')) return 'Manual';
  return 'Success';
}
