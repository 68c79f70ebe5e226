import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, errorSchema, jsonBody, jsonResponse, uuidParam } from '../openapi';
import {
  jobLogSchema,
  jobParams,
  listQuery,
  logQuery,
  pipelineDetailSchema,
  pipelineListSchema,
  pipelineParams,
  pipelineSchema,
  runPipelineInput,
} from './pipelines.schemas';

const base = { tags: ['Pipelines'], security: bearerSecurity };
// Failures at GitLab: its 401/403/5xx are 502 (never the caller's own 401), rate limits 503.
const providerErrors = {
  409: jsonResponse(
    errorSchema,
    'The service has no linked GitLab project or token, or the action does not fit the state',
  ),
  502: jsonResponse(errorSchema, 'GitLab rejected the organization token or is unreachable'),
  503: jsonResponse(errorSchema, 'GitLab rate limited Kiln; the message says when to retry'),
} as const;

/** `GET /services/{id}/pipelines`. */
export const listPipelines = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/pipelines',
  summary:
    "The service's GitLab pipelines, newest first (linked: false with a how-to message when no project is linked) (member)",
  request: { params: uuidParam, query: listQuery },
  responses: { 200: jsonResponse(pipelineListSchema, 'Pipelines'), ...commonErrors, ...providerErrors },
});
export const runPipeline = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/pipelines',
  summary: 'Run a pipeline on a branch or tag (member)',
  request: { params: uuidParam, ...jsonBody(runPipelineInput) },
  responses: { 201: jsonResponse(pipelineSchema, 'Started'), ...commonErrors, ...providerErrors },
});
export const getPipeline = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/pipelines/{pipelineId}',
  summary: 'A pipeline with its jobs grouped by stage, in stage order (member)',
  request: { params: pipelineParams },
  responses: { 200: jsonResponse(pipelineDetailSchema, 'Pipeline'), ...commonErrors, ...providerErrors },
});
export const cancelPipeline = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/pipelines/{pipelineId}/cancel',
  summary: 'Cancel a running or pending pipeline (409 otherwise) (member)',
  request: { params: pipelineParams },
  responses: { 200: jsonResponse(pipelineSchema, 'Cancelled'), ...commonErrors, ...providerErrors },
});
export const retryPipeline = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/pipelines/{pipelineId}/retry',
  summary: 'Retry a failed or canceled pipeline on the same ref (409 otherwise) (member)',
  request: { params: pipelineParams },
  responses: { 200: jsonResponse(pipelineSchema, 'Retried'), ...commonErrors, ...providerErrors },
});
/** `GET /services/{id}/jobs/{jobId}/log`. */
export const getJobLog = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/jobs/{jobId}/log',
  summary: "A GitLab job's log: numbered lines with ANSI colours kept, sections, heuristic stderr marks (member)",
  request: { params: jobParams, query: logQuery },
  responses: { 200: jsonResponse(jobLogSchema, 'Job log'), ...commonErrors, ...providerErrors },
});
