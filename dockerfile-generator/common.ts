import type { BaseImage } from './images';
import { jsonArray, type DockerfileText } from './text';
import type { ProjectFacts } from './types';

/** What one ecosystem's template produced: the Dockerfile so far, why, and what else to leave out of the context. */
export interface Draft {
  text: DockerfileText;
  reasons: string[];
  ignore: string[];
}

/** Inputs every template gets. */
export interface TemplateInput {
  facts: ProjectFacts;
  image: (name: BaseImage) => string;
}

/** The port to expose: the project's own when it names one, else the framework's default. */
export function choosePort(facts: ProjectFacts, fallback: number, why: string, reasons: string[]): number {
  if (facts.port) {
    reasons.push(`Port: ${facts.port.value}, named in ${facts.port.source}.`);
    return facts.port.value;
  }
  reasons.push(`Port: ${fallback}, ${why}.`);
  return fallback;
}

/** True when `file` is directly in the project folder. */
export function has(facts: ProjectFacts, file: string): boolean {
  return facts.files.includes(file);
}

/** Quoted COPY sources of those `candidates` that exist, in JSON form so any name is literal. */
export function present(facts: ProjectFacts, candidates: string[]): string[] {
  return candidates.filter((file) => has(facts, file));
}

/** `COPY ["a", "b", "./"]`: JSON form, sources known to exist. */
export function copyFiles(files: string[], destination = './'): string {
  return `COPY ${jsonArray([...files, destination])}`;
}
