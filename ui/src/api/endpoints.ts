// Every REST path the UI uses, in one file, so a route change in api/ is a one-line change here.
import { api } from './client';
import type { JobLog, Pipeline, PipelineDetail, PipelineList } from './pipeline-types';
import type {
  AutoCiInput,
  AutoCiSettings,
  Build,
  Delivery,
  DetectionResult,
  GitProvider,
  LogLine,
  Me,
  Page,
  Service,
  DeploymentStatus,
  ServiceInput,
  WebhookInfo,
} from './types';
import type {
  ApiToken,
  Cluster,
  ClusterCheck,
  DeliveryDetail,
  GitCheck,
  Registry,
  RegistryCheck,
  RegistryInput,
  TokenCheck,
  User,
  WorkflowEvent,
} from './types';

const enc = encodeURIComponent;

/** Typed calls to the Kiln REST API. */
export const kiln = {
  me: (token?: string) => api<Me>('/me', token === undefined ? {} : { token }),
  listServices: () => api<Page<Service>>('/services'),
  getService: (id: string) => api<Service>(`/services/${enc(id)}`),
  createService: (input: ServiceInput) => api<Service>('/services', { method: 'POST', body: input }),
  updateService: (id: string, input: Partial<ServiceInput>) =>
    api<Service>(`/services/${enc(id)}`, { method: 'PATCH', body: input }),
  listGitProviders: () => api<Page<GitProvider>>('/git-providers'),
  listRegistries: () => api<Page<Registry>>('/registries'),
  listClusters: () => api<Page<Cluster>>('/clusters'),
  getAutoCi: (id: string) => api<AutoCiSettings>(`/services/${enc(id)}/auto-ci`),
  saveAutoCi: (id: string, settings: Partial<AutoCiInput>) =>
    api<AutoCiSettings>(`/services/${enc(id)}/auto-ci`, { method: 'PUT', body: settings }),
  detect: (id: string) => api<DetectionResult>(`/services/${enc(id)}/detect`, { method: 'POST' }),
  getDeployment: (id: string) => api<DeploymentStatus>(`/services/${enc(id)}/deployment`),
  getWebhook: (id: string) => api<WebhookInfo>(`/services/${enc(id)}/webhook`),
  rotateWebhookToken: (id: string) => api<WebhookInfo>(`/services/${enc(id)}/webhook/rotate`, { method: 'POST' }),
  /** Newest builds with their monorepo sub-project builds (grouped by the UI under their parent). */
  listBuilds: (serviceId: string) =>
    api<Page<Build>>(`/services/${enc(serviceId)}/builds?includeChildren=true&pageSize=100`),
  getBuild: (id: string) => api<Build>(`/builds/${enc(id)}`),
  workflowHistory: (id: string) =>
    api<{ workflowId: string; events: WorkflowEvent[] }>(`/builds/${enc(id)}/workflow-history`),
  triggerBuild: (serviceId: string, branch: string) =>
    api<Build>(`/services/${enc(serviceId)}/builds`, { method: 'POST', body: { branch } }),
  cancelBuild: (id: string) => api<unknown>(`/builds/${enc(id)}/cancel`, { method: 'POST' }),
  retryBuild: (id: string) => api<Build>(`/builds/${enc(id)}/retry`, { method: 'POST' }),
  buildLogs: (id: string) => api<Page<LogLine>>(`/builds/${enc(id)}/logs`),
  listDeliveries: (serviceId: string) =>
    api<Page<Delivery>>(`/services/${enc(serviceId)}/webhook/deliveries?pageSize=20`),
  getDelivery: (serviceId: string, deliveryId: string) =>
    api<DeliveryDetail>(`/services/${enc(serviceId)}/webhook/deliveries/${enc(deliveryId)}`),
  redeliver: (serviceId: string, deliveryId: string) =>
    api<Delivery>(`/services/${enc(serviceId)}/webhook/deliveries/${enc(deliveryId)}/redeliver`, { method: 'POST' }),
  listPipelines: (serviceId: string) => api<PipelineList>(`/services/${enc(serviceId)}/pipelines?perPage=20`),
  runPipeline: (serviceId: string, ref: string) =>
    api<Pipeline>(`/services/${enc(serviceId)}/pipelines`, { method: 'POST', body: { ref } }),
  getPipeline: (serviceId: string, id: number) => api<PipelineDetail>(`/services/${enc(serviceId)}/pipelines/${id}`),
  cancelPipeline: (serviceId: string, id: number) =>
    api<Pipeline>(`/services/${enc(serviceId)}/pipelines/${id}/cancel`, { method: 'POST' }),
  retryPipeline: (serviceId: string, id: number) =>
    api<Pipeline>(`/services/${enc(serviceId)}/pipelines/${id}/retry`, { method: 'POST' }),
  jobLog: (serviceId: string, jobId: number) => api<JobLog>(`/services/${enc(serviceId)}/jobs/${jobId}/log`),
};

/** Organization settings: Git connections, registries, clusters, users and API tokens (admins change them). */
export const settingsApi = {
  signInHint: () => api<{ adminTokenFile: string | null }>('/sign-in', { token: '' }),
  createGitProvider: (input: {
    kind: GitProvider['kind'];
    baseUrl?: string;
    token: string;
    verify: boolean;
    providerApi?: boolean;
  }) => api<GitProvider & { check: TokenCheck | null }>('/git-providers', { method: 'POST', body: input }),
  updateGitProvider: (id: string, input: { baseUrl?: string; token?: string; verify: boolean }) =>
    api<GitProvider>(`/git-providers/${enc(id)}`, { method: 'PATCH', body: input }),
  deleteGitProvider: (id: string) => api<void>(`/git-providers/${enc(id)}`, { method: 'DELETE' }),
  checkNewToken: (input: { kind: GitProvider['kind']; baseUrl?: string; token: string }) =>
    api<TokenCheck>('/provider-checks', { method: 'POST', body: input }),
  checkStoredToken: (id: string) => api<TokenCheck>(`/provider-checks/${enc(id)}`, { method: 'POST' }),
  checkGitServer: (input: { repositoryUrl: string; token?: string; connectionId?: string; baseUrl?: string }) =>
    api<GitCheck>('/git-checks', { method: 'POST', body: input }),
  createRegistry: (input: RegistryInput) => api<Registry>('/registries', { method: 'POST', body: input }),
  updateRegistry: (id: string, input: Partial<RegistryInput>) =>
    api<Registry>(`/registries/${enc(id)}`, { method: 'PATCH', body: input }),
  deleteRegistry: (id: string) => api<void>(`/registries/${enc(id)}`, { method: 'DELETE' }),
  checkNewRegistry: (input: RegistryInput) => api<RegistryCheck>('/registry-checks', { method: 'POST', body: input }),
  checkStoredRegistry: (id: string) => api<RegistryCheck>(`/registries/${enc(id)}/check`, { method: 'POST' }),
  createCluster: (input: { name: string; mode: Cluster['mode']; kubeconfig?: string; context?: string }) =>
    api<Cluster>('/clusters', { method: 'POST', body: input }),
  deleteCluster: (id: string) => api<void>(`/clusters/${enc(id)}`, { method: 'DELETE' }),
  checkCluster: (id: string) => api<ClusterCheck>(`/clusters/${enc(id)}/check`, { method: 'POST' }),
  listUsers: () => api<Page<User>>('/users'),
  createUser: (input: { name: string; email?: string; role: User['role'] }) =>
    api<User & { token: string }>('/users', { method: 'POST', body: input }),
  deleteUser: (id: string) => api<void>(`/users/${enc(id)}`, { method: 'DELETE' }),
  listTokens: (userId: string) => api<Page<ApiToken>>(`/users/${enc(userId)}/tokens`),
  createToken: (userId: string, name: string) =>
    api<ApiToken & { token: string }>(`/users/${enc(userId)}/tokens`, { method: 'POST', body: { name } }),
  deleteToken: (userId: string, tokenId: string) =>
    api<void>(`/users/${enc(userId)}/tokens/${enc(tokenId)}`, { method: 'DELETE' }),
};

/** SSE paths (relative to /api/v1). */
export const streams = {
  buildLogs: (id: string) => `/builds/${enc(id)}/logs/stream`,
};
