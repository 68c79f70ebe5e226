// The calls the UI makes, named for what they do. Paths, inputs and answers are typed by the API's routes
// (`kilnClient`), so a route change in api/ shows up here as a type error.
import { kilnClient, read } from './client';
import type { Input } from './types';

const api = kilnClient();
const param = (id: string) => ({ param: { id } });

/** Services, Auto CI, builds, deliveries and GitLab pipelines. */
export const kiln = {
  me: (token?: string) => read((token === undefined ? api : kilnClient(token)).me.$get()),
  listServices: () => read(api.services.$get({ query: {} })),
  getService: (id: string) => read(api.services[':id'].$get(param(id))),
  createService: (json: Input['createService']) => read(api.services.$post({ json })),
  updateService: (id: string, json: Input['updateService']) => read(api.services[':id'].$patch({ ...param(id), json })),
  listGitProviders: () => read(api['git-providers'].$get({ query: {} })),
  listRegistries: () => read(api.registries.$get({ query: {} })),
  listClusters: () => read(api.clusters.$get({ query: {} })),
  getAutoCi: (id: string) => read(api.services[':id']['auto-ci'].$get(param(id))),
  saveAutoCi: (id: string, json: Input['saveAutoCi']) =>
    read(api.services[':id']['auto-ci'].$put({ ...param(id), json })),
  detect: (id: string) => read(api.services[':id'].detect.$post({ ...param(id), json: {} })),
  getDeployment: (id: string) => read(api.services[':id'].deployment.$get(param(id))),
  getWebhook: (id: string) => read(api.services[':id'].webhook.$get(param(id))),
  rotateWebhookToken: (id: string) => read(api.services[':id'].webhook.rotate.$post(param(id))),
  /** Newest builds with their monorepo sub-project builds (grouped by the UI under their parent). */
  listBuilds: (serviceId: string) =>
    read(api.services[':id'].builds.$get({ ...param(serviceId), query: { includeChildren: 'true', pageSize: 100 } })),
  getBuild: (id: string) => read(api.builds[':id'].$get(param(id))),
  workflowHistory: (id: string) => read(api.builds[':id']['workflow-history'].$get(param(id))),
  triggerBuild: (serviceId: string, branch: string) =>
    read(api.services[':id'].builds.$post({ ...param(serviceId), json: { branch } })),
  cancelBuild: (id: string) => read(api.builds[':id'].cancel.$post({ ...param(id), json: {} })),
  retryBuild: (id: string) => read(api.builds[':id'].retry.$post(param(id))),
  listDeliveries: (serviceId: string) =>
    read(api.services[':id'].webhook.deliveries.$get({ ...param(serviceId), query: { pageSize: 20 } })),
  getDelivery: (serviceId: string, deliveryId: string) =>
    read(api.services[':id'].webhook.deliveries[':deliveryId'].$get({ param: { id: serviceId, deliveryId } })),
  redeliver: (serviceId: string, deliveryId: string) =>
    read(
      api.services[':id'].webhook.deliveries[':deliveryId'].redeliver.$post({ param: { id: serviceId, deliveryId } }),
    ),
  listPipelines: (serviceId: string) =>
    read(api.services[':id'].pipelines.$get({ ...param(serviceId), query: { perPage: 20 } })),
  runPipeline: (serviceId: string, ref: string) =>
    read(api.services[':id'].pipelines.$post({ ...param(serviceId), json: { ref } })),
  getPipeline: (serviceId: string, id: number) =>
    read(api.services[':id'].pipelines[':pipelineId'].$get({ param: { id: serviceId, pipelineId: String(id) } })),
  cancelPipeline: (serviceId: string, id: number) =>
    read(
      api.services[':id'].pipelines[':pipelineId'].cancel.$post({ param: { id: serviceId, pipelineId: String(id) } }),
    ),
  retryPipeline: (serviceId: string, id: number) =>
    read(
      api.services[':id'].pipelines[':pipelineId'].retry.$post({ param: { id: serviceId, pipelineId: String(id) } }),
    ),
  jobLog: (serviceId: string, jobId: number) =>
    read(api.services[':id'].jobs[':jobId'].log.$get({ param: { id: serviceId, jobId: String(jobId) }, query: {} })),
};

/** Organization settings: Git connections, registries, clusters, users and API tokens (admins change them). */
export const settingsApi = {
  signInHint: () => read(kilnClient('')['sign-in'].$get()),
  createGitProvider: (json: Input['createGitProvider']) => read(api['git-providers'].$post({ json })),
  deleteGitProvider: (id: string) => read(api['git-providers'][':id'].$delete(param(id))),
  checkNewToken: (json: Input['checkNewToken']) => read(api['provider-checks'].$post({ json })),
  checkStoredToken: (id: string) => read(api['provider-checks'][':id'].$post(param(id))),
  checkGitServer: (json: Input['checkGitServer']) => read(api['git-checks'].$post({ json })),
  createRegistry: (json: Input['createRegistry']) => read(api.registries.$post({ json })),
  deleteRegistry: (id: string) => read(api.registries[':id'].$delete(param(id))),
  checkNewRegistry: (json: Input['checkNewRegistry']) => read(api['registry-checks'].$post({ json })),
  checkStoredRegistry: (id: string) => read(api.registries[':id'].check.$post(param(id))),
  createCluster: (json: Input['createCluster']) => read(api.clusters.$post({ json })),
  deleteCluster: (id: string) => read(api.clusters[':id'].$delete(param(id))),
  checkCluster: (id: string) => read(api.clusters[':id'].check.$post(param(id))),
  listUsers: () => read(api.users.$get({ query: {} })),
  createUser: (json: Input['createUser']) => read(api.users.$post({ json })),
  deleteUser: (id: string) => read(api.users[':id'].$delete(param(id))),
  listTokens: (userId: string) => read(api.users[':id'].tokens.$get(param(userId))),
  createToken: (userId: string, name: string) =>
    read(api.users[':id'].tokens.$post({ ...param(userId), json: { name } })),
  deleteToken: (userId: string, tokenId: string) =>
    read(api.users[':id'].tokens[':tokenId'].$delete({ param: { id: userId, tokenId } })),
};

/** The Build Wizard: proposals, "Use for builds" and the merge/pull request. */
export const wizard = {
  propose: (serviceId: string, path?: string) =>
    read(api.services[':id'].dockerfile.$post({ ...param(serviceId), json: path ? { path } : {} })),
  useForBuilds: (serviceId: string, json: Input['wizardFiles']) =>
    read(api.services[':id'].dockerfile.$put({ ...param(serviceId), json })),
  openChangeRequest: (serviceId: string, json: Input['wizardFiles']) =>
    read(api.services[':id'].dockerfile['merge-request'].$post({ ...param(serviceId), json })),
};

/** Server-Sent Event streams (paths for `useEventStream`). */
export const streams = {
  buildLogs: (id: string) => api.builds[':id'].logs.stream.$path({ ...param(id), query: {} }),
};
