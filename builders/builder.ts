import type { BuildResources } from '../domain/build-profile';
import type { LogSink } from '../build-log/log-sink';
import type { CloneProvider } from '../git/git-command';
import type { RegistryAuth } from '../clients/registry';

/** Where the source to build comes from. `checkoutDir` is set when the worker already cloned it. */
export interface BuildSource {
  repositoryUrl: string;
  sha: string;
  ref: string;
  /** Token for HTTPS clone; drivers pass it through askpass or a mounted Secret, never argv or env values. */
  token?: string;
  /** Who serves the repository (GitLab, GitHub or a plain git server), so a refused clone says what to check. */
  provider?: CloneProvider;
  checkoutDir?: string;
}

/** Everything a builder needs for one image: source, Dockerfile, args, secrets, where to push and how big. */
export interface BuildRequest {
  buildId: string;
  /** The service's organization: the local builder keeps one image store (and layer cache) per organization. */
  organizationId?: string;
  source: BuildSource;
  /** Build context inside the repository ('.' or a monorepo sub-project folder). */
  contextPath: string;
  /** Dockerfile path relative to the repository root. */
  dockerfilePath: string;
  buildArgs: Record<string, string>;
  /** The Build Wizard's Dockerfile ("Use for builds"): the builder uses it only when `dockerfilePath` does not exist. */
  wizardDockerfile?: { dockerfile: string; dockerignore: string };
  /**
   * Secret build args: given to the build as build secrets (`RUN --mount=type=secret,id=NAME` reads
   * `/run/secrets/NAME`), never as ARGs, so they stay out of the image config and history.
   */
  secretBuildArgs?: Record<string, string>;
  /**
   * Code not trusted yet (a merge-request build): it gets no secret build args and neither reads nor writes the
   * layer cache trusted builds share, so it cannot poison their layers nor reuse layers built with secrets.
   */
  untrusted?: boolean;
  /** Full references to push, e.g. `127.0.0.1:5055/team/kiln-api:3f2c1ab`; the first is the canonical one. */
  images: string[];
  /** Registry reference used as layer cache between builds (e.g. `…/kiln-api:buildcache`). */
  cacheRef?: string;
  registry: RegistryAuth;
  resources: BuildResources;
}

/** What a finished build pushed: its digest and the references it was pushed as. */
export interface BuildOutput {
  /** The manifest digest the registry reports for the pushed image (`sha256:…`). */
  digest: string;
  images: string[];
}

/** Hooks a driver uses while it runs: output lines, liveness, and the user's cancel. */
export interface BuildContext {
  log: LogSink;
  signal: AbortSignal;
  heartbeat(details?: unknown): void;
  /** Optional: tells the pipeline the driver moved on to pushing, so the user sees the Push step. */
  phase?(phase: 'build' | 'push'): void;
}

/** One way of turning a BuildRequest into a pushed image: buildah on this machine, BuildKit pods on Kubernetes. */
export interface BuilderDriver {
  readonly name: 'local' | 'kubernetes';
  build(request: BuildRequest, context: BuildContext): Promise<BuildOutput>;
}
