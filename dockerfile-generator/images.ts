/**
 * Base images of generated Dockerfiles: official images with pinned major versions. Docker Hub images are written
 * short (`node:24-slim`), others with their registry (`mcr.microsoft.com/dotnet/sdk:9.0`); an organization's
 * mirror prefix goes in front of either.
 */
export const baseImages = {
  node: 'node:24-slim',
  bun: 'oven/bun:1',
  python: 'python:3.13-slim',
  golang: 'golang:1',
  maven: 'maven:3-eclipse-temurin-21',
  gradle: 'gradle:8-jdk21',
  jre: 'eclipse-temurin:21-jre',
  ruby: 'ruby:3-slim',
  composer: 'composer:2',
  phpApache: 'php:8-apache',
  rust: 'rust:1',
  debian: 'debian:12-slim',
  dotnetSdk: 'mcr.microsoft.com/dotnet/sdk:9.0',
  dotnetAspnet: 'mcr.microsoft.com/dotnet/aspnet:9.0',
  nginx: 'nginx:1',
  hugo: 'hugomods/hugo:exts',
  jekyll: 'jekyll/jekyll:4',
} as const;

export type BaseImage = keyof typeof baseImages;

// A registry host (optional port) and path, ending in `/`: nothing a Dockerfile line could misread.
const prefixPattern = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._-]+)*\/$/;

/** Why a base-image prefix is unusable, or null when it is fine ('' and null mean the official images). */
export function baseImagePrefixProblem(prefix: string | null | undefined): string | null {
  if (prefix == null || prefix === '') return null;
  if (prefix.length > 200 || !prefixPattern.test(prefix)) {
    return 'baseImagePrefix must be a registry address and path ending in "/", e.g. mirror.acme.dev/dockerhub/ (letters, digits, ".", "-", "_", an optional :port).';
  }
  return null;
}

/** A function naming each base image with the prefix in front. */
export function imageNamer(prefix: string | null | undefined): (image: BaseImage) => string {
  const problem = baseImagePrefixProblem(prefix);
  if (problem) throw new Error(problem);
  return (image) => `${prefix ?? ''}${baseImages[image]}`;
}
