/**
 * Image names and tags Kiln pushes: one definition for the builders, the deployer, the rollback and the Auto CI
 * preview. Pure: no I/O.
 */
import { changeImageTag } from './merge-request';
import { registryHost } from './registry-host';

/** The parts of an image reference: registry host, project, prefix, name and commit. */
export interface ImageNameInput {
  /** host[:port] of the registry, e.g. `harbor.example.com`. */
  registryHost: string;
  /** Harbor project / Docker Hub namespace. */
  project: string;
  /** Monorepo image prefix (`kiwi-`), '' when unused. */
  prefix?: string;
  /** Image (service or sub-project) name. */
  name: string;
  /** Commit sha, used as given (Kiln passes the full sha). */
  sha: string;
  /** Branch that was pushed; tagged with a sanitized copy (`feature/x` → `feature-x`). */
  branch?: string;
  /** Git tag of a tag push (`v1.2.0`). */
  tag?: string;
  /** Merge request iid: the image is tagged `mr-<iid>` and the sha only, never the (source) branch name. */
  mergeRequestIid?: number | null;
  /** Pull request number: the image is tagged `pr-<n>` and the sha only, never the (head) branch name. */
  pullRequestNumber?: number | null;
}

const maxTagLength = 128;

/**
 * Full image references to push: `<registry>/<project>/<prefix><name>:<sha>` first (the canonical one),
 * then the sanitized branch tag, then the git tag for tag pushes; duplicates dropped. A merge request build gets
 * `mr-<iid>` instead and a pull request build `pr-<n>`: a fork's `main` must never overwrite the real `:main`.
 */
export function imageReferences(input: ImageNameInput): string[] {
  const repository = imageRepository(input);
  const change = changeImageTag(input);
  const named =
    change !== undefined ? [change] : [input.branch && sanitizeTag(input.branch), input.tag && sanitizeTag(input.tag)];
  const tags = [sanitizeTag(input.sha), ...named];
  const unique = [...new Set(tags.filter((tag): tag is string => typeof tag === 'string' && tag !== ''))];
  if (unique[0] !== sanitizeTag(input.sha) || unique[0] === '') {
    throw new Error(`Commit sha ${JSON.stringify(input.sha)} cannot be used as an image tag.`);
  }
  return unique.map((tag) => `${repository}:${tag}`);
}

/** `<registry>/<project>/<prefix><name>` with each path component made a valid OCI repository name. */
export function imageRepository(input: Pick<ImageNameInput, 'registryHost' | 'project' | 'prefix' | 'name'>): string {
  const host = registryHost(input.registryHost);
  const project = input.project.split('/').map(sanitizeRepositoryComponent).filter(Boolean).join('/');
  const name = sanitizeRepositoryComponent(`${input.prefix ?? ''}${input.name}`);
  if (!host || !project || !name) {
    throw new Error(`Cannot build an image name from registry "${host}", project "${project}", name "${name}".`);
  }
  return `${host}/${project}/${name}`;
}

/** Lowercase `[a-z0-9]` runs joined by single `.`, `_` or `-` (a subset of what the OCI distribution spec allows). */
export function sanitizeRepositoryComponent(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
}

/** A valid tag (`[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`): other characters become `-`, e.g. `feature/x` → `feature-x`. */
export function sanitizeTag(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, maxTagLength)
    .replace(/[.-]+$/, '');
}

/** Splits `host/a/b:tag` into the registry host, repository path and tag. */
export function parseImageReference(reference: string): { host: string; repository: string; tag: string } {
  const slash = reference.indexOf('/');
  const colon = reference.lastIndexOf(':');
  if (slash < 0 || colon < slash) throw new Error(`Image reference ${JSON.stringify(reference)} has no host or tag.`);
  return {
    host: reference.slice(0, slash),
    repository: reference.slice(slash + 1, colon),
    tag: reference.slice(colon + 1),
  };
}
