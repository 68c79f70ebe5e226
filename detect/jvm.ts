import { join, type RepoFiles } from './files';
import type { ProjectInfo } from './types';

const frameworks: Array<[marker: RegExp, framework: string]> = [
  [/spring-boot|org\.springframework\.boot/, 'Spring Boot'],
  [/io\.quarkus/, 'Quarkus'],
  [/io\.micronaut/, 'Micronaut'],
  [/io\.ktor/, 'Ktor'],
];

/** A Maven or Gradle project in `dir`; Spring Boot (and a few others) from the build file; Kotlin from its plugin. */
export async function detectJvm(files: RepoFiles, dir: string): Promise<ProjectInfo | null> {
  const pom = await files.read(join(dir, 'pom.xml'));
  const gradle = (await files.read(join(dir, 'build.gradle.kts'))) ?? (await files.read(join(dir, 'build.gradle')));
  const build = pom ?? gradle;
  if (build == null) return null;
  const kotlin = /kotlin\("jvm"\)|org\.jetbrains\.kotlin|kotlin-maven-plugin/.test(build);
  return {
    language: kotlin ? 'Kotlin' : 'Java',
    framework: frameworks.find(([marker]) => marker.test(build))?.[1] ?? null,
    packageManager: pom != null ? 'Maven' : 'Gradle',
    typescript: false,
  };
}
