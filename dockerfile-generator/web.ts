import { choosePort, copyFiles, has, type Draft, type TemplateInput } from './common';
import { nginxStage } from './node';
import { DockerfileText, startCommand } from './text';

/** Ruby (Rails, Sinatra, Rack): gems installed frozen from Gemfile.lock, assets precompiled, run as `rails`. */
export function ruby({ facts, image }: TemplateInput): Draft {
  const rails = facts.framework === 'Rails';
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [`Detected ${facts.framework ?? 'a Ruby project'} with Bundler.`],
    ignore: ['.bundle', 'log', 'tmp', 'vendor/bundle', 'node_modules', 'storage', 'coverage', 'public/assets'],
  };
  out.text
    .add(`FROM ${image('ruby')} AS build`)
    .add('WORKDIR /app')
    .add(
      'RUN apt-get update && apt-get install -y --no-install-recommends build-essential git libyaml-dev pkg-config && rm -rf /var/lib/apt/lists/*',
    )
    .add('ENV BUNDLE_FROZEN=1 BUNDLE_WITHOUT=development:test BUNDLE_PATH=/usr/local/bundle')
    .add(copyFiles(['Gemfile', ...(has(facts, 'Gemfile.lock') ? ['Gemfile.lock'] : [])]))
    .add('RUN bundle install')
    .add('COPY . .');
  out.reasons.push(
    has(facts, 'Gemfile.lock')
      ? 'Install: bundle install with BUNDLE_FROZEN=1: exactly Gemfile.lock, failing if it is out of date.'
      : 'Install: bundle install with BUNDLE_FROZEN=1 fails without a Gemfile.lock: commit one.',
  );
  if (rails) {
    out.text.add('RUN SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile');
    out.reasons.push('Build: rails assets:precompile with a dummy secret key (no credentials needed at build time).');
  }
  const port = choosePort(facts, rails ? 3000 : 9292, rails ? "Rails' default" : "Rack's default", out.reasons);
  out.text
    .blank()
    .add(`FROM ${image('ruby')}`)
    .add('WORKDIR /app')
    .add(
      `ENV RAILS_ENV=production RACK_ENV=production BUNDLE_WITHOUT=development:test BUNDLE_PATH=/usr/local/bundle PORT=${port}`,
    )
    .add('RUN groupadd --system --gid 1000 rails && useradd --system --uid 1000 --gid rails --create-home rails')
    .add('COPY --from=build /usr/local/bundle /usr/local/bundle')
    .add('COPY --from=build --chown=rails:rails /app /app')
    .add('USER rails')
    .add(`EXPOSE ${port}`);
  out.reasons.push('User: rails (uid 1000), created for the app.');
  rubyStart(out, facts.procfileWeb, rails, port);
  return out;
}

/** The Procfile's web process, else `rails server` or `rackup`, listening on all interfaces. */
function rubyStart(out: Draft, procfileWeb: string | null, rails: boolean, port: number): void {
  if (procfileWeb) {
    out.reasons.push('Start: the web process of the Procfile.');
    out.text.cmd(startCommand(procfileWeb));
  } else if (rails) {
    out.reasons.push('Start: rails server on all interfaces.');
    out.text.cmd(['bundle', 'exec', 'rails', 'server', '-b', '0.0.0.0', '-p', String(port)]);
  } else {
    out.reasons.push('Start: rackup (config.ru) on all interfaces.');
    out.text.cmd(['bundle', 'exec', 'rackup', '-o', '0.0.0.0', '-p', String(port)]);
  }
}

/** PHP (Laravel, Symfony, plain): Composer without dev dependencies, Apache on 8080 as www-data. */
export function php({ facts, image }: TemplateInput): Draft {
  const laravel = facts.framework === 'Laravel';
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [
      `Detected ${facts.framework ?? 'a PHP project'} with Composer: dependencies in a Composer stage, served by Apache with mod_php.`,
    ],
    ignore: ['vendor', 'node_modules', 'storage/logs/*', 'storage/framework/cache/*', '.phpunit.result.cache'],
  };
  const lock = has(facts, 'composer.lock');
  out.text
    .add(`FROM ${image('composer')} AS vendor`)
    .add('WORKDIR /app')
    .add(copyFiles(['composer.json', ...(lock ? ['composer.lock'] : [])]))
    .add('RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist --no-interaction')
    .add('COPY . .')
    .add('RUN composer dump-autoload --optimize --no-dev');
  out.reasons.push(
    lock
      ? 'Install: composer install --no-dev, exactly composer.lock.'
      : 'Install: composer install --no-dev; no composer.lock is committed, so versions are resolved now.',
  );
  const port = choosePort(facts, 8080, 'Apache listens on 8080 so it needs no root', out.reasons);
  const docroot = laravel || has(facts, 'public') ? '/var/www/html/public' : '/var/www/html';
  out.text
    .blank()
    .add(`FROM ${image('phpApache')}`)
    .add('RUN docker-php-ext-install pdo_mysql opcache && a2enmod rewrite \\')
    .add(`  && sed -i 's/Listen 80$/Listen ${port}/' /etc/apache2/ports.conf \\`)
    .add(
      `  && sed -i -e 's/:80>/:${port}>/' -e 's#DocumentRoot /var/www/html$#DocumentRoot ${laravel ? '/var/www/html/public' : docroot}#' /etc/apache2/sites-available/000-default.conf`,
    )
    .add('WORKDIR /var/www/html')
    .add('COPY --from=vendor --chown=www-data:www-data /app /var/www/html')
    .add('USER www-data')
    .add(`EXPOSE ${port}`)
    .cmd(['apache2-foreground']);
  if (laravel) out.reasons.push('Laravel: the document root is public/ and storage/ belongs to www-data.');
  out.reasons.push('User: www-data, the unprivileged user of the php image.');
  out.reasons.push('Start: apache2-foreground.');
  return out;
}

/** Static sites (index.html, Hugo, Jekyll): files (built first for Hugo/Jekyll) served by nginx. */
export function staticSite(input: TemplateInput): Draft {
  const { facts, image } = input;
  const out: Draft = { text: new DockerfileText(), reasons: [], ignore: ['node_modules', '.DS_Store'] };
  if (facts.framework === 'Hugo' || facts.framework === 'Jekyll') {
    const hugo = facts.framework === 'Hugo';
    out.reasons.push(`Detected a ${facts.framework} site: built in a ${facts.framework} stage, served by nginx.`);
    out.text
      .add(`FROM ${image(hugo ? 'hugo' : 'jekyll')} AS build`)
      .add('WORKDIR /src')
      .add('COPY . .')
      .add(hugo ? 'RUN hugo --minify --destination /out' : 'RUN jekyll build --destination /out')
      .blank();
    out.ignore.push(hugo ? 'public' : '_site', hugo ? 'resources/_gen' : '.jekyll-cache');
    nginxStage(input, out, '--from=build /out');
    return out;
  }
  const root = facts.staticRoot === 'public' ? 'public' : '.';
  out.reasons.push(
    `Detected a static site (index.html${root === '.' ? '' : ' in public/'}): served by nginx as is, nothing to build.`,
  );
  nginxStage(input, out, root);
  return out;
}
