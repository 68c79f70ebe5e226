import { choosePort, copyFiles, has, type Draft, type TemplateInput } from './common';
import { DockerfileText, isSafePath } from './text';

/** Go: modules downloaded from go.sum, a static binary, run as uid 65532 on an empty (`scratch`) image. */
export function go({ facts, image }: TemplateInput): Draft {
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [
      `Detected Go${facts.framework ? ` (${facts.framework})` : ''}: compiled in a build stage; the final image holds only the binary and CA certificates.`,
    ],
    ignore: ['bin', '*.test', 'coverage.out'],
  };
  const main = facts.goMainPackages.find(isSafePath) ?? (facts.goMainPackages.length === 0 ? '.' : null);
  const target = main == null || main === '' || main === '.' ? '.' : `./${main}`;
  out.reasons.push(
    `Main package: ${target}${facts.goMainPackages.length > 1 ? ` (first of ${facts.goMainPackages.length}; edit to pick another)` : ''}.`,
  );
  out.text
    .add(`FROM ${image('golang')} AS build`)
    .add('WORKDIR /src')
    .add(copyFiles(['go.mod', ...(has(facts, 'go.sum') ? ['go.sum'] : [])]))
    .add('RUN go mod download')
    .add('COPY . .')
    .add(`RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ${target}`);
  out.reasons.push('Install: go mod download, exactly the versions go.sum pins.');
  const port = choosePort(facts, 8080, 'the usual port of Go services', out.reasons);
  out.text
    .blank()
    .add('FROM scratch')
    .add('COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/')
    .add('COPY --from=build /out/app /app')
    .add('USER 65532:65532')
    .add(`EXPOSE ${port}`)
    .add(`ENV PORT=${port}`)
    .cmd(['/app']);
  out.reasons.push('User: 65532 (nonroot); the image has no shell or users, only the binary.');
  out.reasons.push('Start: the compiled binary.');
  return out;
}

/** Rust: dependencies built once from Cargo.lock (`--locked`), then the app; a slim Debian runtime. */
export function rust({ facts, image }: TemplateInput): Draft {
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [
      `Detected Rust${facts.framework ? ` (${facts.framework})` : ''}: compiled in a build stage, run on debian slim.`,
    ],
    ignore: ['target'],
  };
  const name = facts.cargoBinary != null && /^[A-Za-z0-9_-]+$/.test(facts.cargoBinary) ? facts.cargoBinary : 'app';
  if (name === 'app') out.reasons.push('Binary: no package name found in Cargo.toml; edit the binary name.');
  const locked = has(facts, 'Cargo.lock') ? ' --locked' : '';
  out.text
    .add(`FROM ${image('rust')} AS build`)
    .add('WORKDIR /src')
    .add(copyFiles(['Cargo.toml', ...(locked ? ['Cargo.lock'] : [])]))
    .add(`RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release${locked} && rm -rf src`)
    .add('COPY . .')
    .add(`RUN touch src/main.rs && cargo build --release${locked} && cp target/release/${name} /out-app`);
  out.reasons.push(
    locked
      ? 'Install: cargo build --locked, exactly the versions Cargo.lock pins (dependencies cached in their own layer).'
      : 'Install: cargo build without --locked: no Cargo.lock is committed; commit it for reproducible builds.',
  );
  const port = choosePort(facts, 8080, 'the usual port of Rust web services', out.reasons);
  out.text
    .blank()
    .add(`FROM ${image('debian')}`)
    .add(
      'RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*',
    )
    .add('RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app')
    .add('COPY --from=build /out-app /usr/local/bin/app')
    .add('USER app')
    .add(`EXPOSE ${port}`)
    .add(`ENV PORT=${port}`)
    .cmd(['/usr/local/bin/app']);
  out.reasons.push('User: app (uid 10001), created for the app.');
  out.reasons.push(`Start: the ${name} binary.`);
  return out;
}

/** .NET: `dotnet restore` from the project file, `dotnet publish`, the ASP.NET runtime as its `app` user. */
export function dotnet({ facts, image }: TemplateInput): Draft {
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [
      `Detected .NET${facts.framework ? ` (${facts.framework})` : ''}: published in the SDK image, run on the ASP.NET runtime.`,
    ],
    ignore: ['bin', 'obj', '*.user', '.vs'],
  };
  const project = facts.dotnetProject != null && isSafePath(facts.dotnetProject) ? facts.dotnetProject : null;
  const assembly = project?.replace(/\.(cs|fs|vb)proj$/, '') ?? 'App';
  if (!project) out.reasons.push('Project: no single project file found; edit the dll name on the last line.');
  out.text
    .add(`FROM ${image('dotnetSdk')} AS build`)
    .add('WORKDIR /src')
    .add(project ? copyFiles([project]) : 'COPY . .')
    .add(`RUN dotnet restore${project ? ` ${project}` : ''}`)
    .add('COPY . .')
    .add(`RUN dotnet publish${project ? ` ${project}` : ''} -c Release -o /out --no-restore`);
  out.reasons.push('Install: dotnet restore, in its own layer so NuGet packages are cached.');
  const port = choosePort(facts, 8080, 'the ASP.NET images listen on 8080', out.reasons);
  out.text
    .blank()
    .add(`FROM ${image('dotnetAspnet')}`)
    .add('WORKDIR /app')
    .add('COPY --from=build /out .')
    .add(`ENV ASPNETCORE_HTTP_PORTS=${port}`)
    .add('USER app')
    .add(`EXPOSE ${port}`)
    .cmd(['dotnet', `${assembly}.dll`]);
  out.reasons.push('User: app, the unprivileged user the .NET images ship.');
  out.reasons.push(`Start: dotnet ${assembly}.dll.`);
  return out;
}

/** Java/Kotlin with Maven or Gradle (Spring Boot and others): a jar built in the build image, run on a JRE. */
export function jvm({ facts, image }: TemplateInput): Draft {
  const maven = facts.packageManager === 'Maven';
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [
      `Detected ${facts.language ?? 'Java'}${facts.framework ? ` (${facts.framework})` : ''} with ${maven ? 'Maven' : 'Gradle'}: a jar built in a build stage, run on a JRE.`,
    ],
    ignore: ['target', 'build', '.gradle', '*.class', '.idea'],
  };
  out.text.add(`FROM ${image(maven ? 'maven' : 'gradle')} AS build`).add('WORKDIR /src');
  if (maven) {
    out.text
      .add(copyFiles(['pom.xml']))
      .add('RUN mvn -B dependency:go-offline')
      .add('COPY . .')
      .add(
        'RUN mvn -B -o package -DskipTests && cp "$(ls target/*.jar | grep -v -e original -e sources -e javadoc | head -n 1)" /app.jar',
      );
    out.reasons.push(
      'Install: mvn -B dependency:go-offline, dependencies in their own cached layer; then mvn package offline.',
    );
  } else {
    const gradle = facts.gradleWrapper ? './gradlew' : 'gradle';
    const task = facts.framework === 'Spring Boot' ? 'bootJar' : 'build';
    out.text
      .add('COPY . .')
      .add(
        `RUN ${gradle} --no-daemon ${task} -x test && cp "$(ls build/libs/*.jar | grep -v -e plain -e sources -e javadoc | head -n 1)" /app.jar`,
      );
    out.reasons.push(
      `Build: ${gradle} ${task}${facts.gradleWrapper ? ' (the committed wrapper pins the Gradle version)' : ''}.`,
    );
  }
  const port = choosePort(facts, 8080, `${facts.framework ?? 'the JVM server'}'s default`, out.reasons);
  out.text
    .blank()
    .add(`FROM ${image('jre')}`)
    .add('RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app')
    .add('COPY --from=build /app.jar /app/app.jar')
    .add('USER app')
    .add(`EXPOSE ${port}`)
    .add(`ENV SERVER_PORT=${port}`)
    .cmd(['java', '-jar', '/app/app.jar']);
  out.reasons.push('User: app (uid 10001), created for the app.');
  out.reasons.push('Start: java -jar with the built jar.');
  return out;
}
