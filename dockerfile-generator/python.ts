import { choosePort, copyFiles, has, type Draft, type TemplateInput } from './common';
import { DockerfileText, startCommand } from './text';
import type { ProjectFacts } from './types';

/** How the build stage fills /app/.venv, exactly as locked where a lock exists. */
function installSteps(facts: ProjectFacts, reasons: string[]): string[] {
  switch (facts.packageManager) {
    case 'uv':
      reasons.push('Install: uv sync --frozen --no-dev, because uv.lock is committed (fails if it is out of date).');
      return [
        'RUN pip install --no-cache-dir uv',
        copyFiles(['pyproject.toml', 'uv.lock']),
        'RUN uv sync --frozen --no-dev --no-install-project',
      ];
    case 'poetry':
      reasons.push(
        has(facts, 'poetry.lock')
          ? 'Install: poetry install --no-root --only main, from the committed poetry.lock.'
          : 'Install: poetry install --no-root --only main; no poetry.lock is committed, so versions are resolved now.',
      );
      return [
        'RUN pip install --no-cache-dir "poetry>=2,<3"',
        'ENV POETRY_VIRTUALENVS_IN_PROJECT=1 POETRY_NO_INTERACTION=1',
        copyFiles(['pyproject.toml', ...(has(facts, 'poetry.lock') ? ['poetry.lock'] : [])]),
        'RUN poetry install --no-root --only main',
      ];
    case 'pipenv':
      reasons.push('Install: pipenv sync, from the committed Pipfile.lock.');
      return [
        'RUN pip install --no-cache-dir pipenv',
        'ENV PIPENV_VENV_IN_PROJECT=1',
        copyFiles(['Pipfile', ...(has(facts, 'Pipfile.lock') ? ['Pipfile.lock'] : [])]),
        has(facts, 'Pipfile.lock') ? 'RUN pipenv sync' : 'RUN pipenv install',
      ];
    default:
      if (has(facts, 'requirements.txt')) {
        reasons.push('Install: pip install -r requirements.txt into a virtual environment.');
        return [
          'RUN python -m venv /app/.venv',
          copyFiles(['requirements.txt']),
          'RUN /app/.venv/bin/pip install --no-cache-dir -r requirements.txt',
        ];
      }
      reasons.push('Install: pip install . (no requirements.txt; the project is installed from its own metadata).');
      return ['RUN python -m venv /app/.venv', 'COPY . .', 'RUN /app/.venv/bin/pip install --no-cache-dir .'];
  }
}

/** Python (pip, poetry, uv, pipenv; Django, Flask, FastAPI): dependencies in a build stage, a slim runtime. */
export function python(input: TemplateInput): Draft {
  const { facts, image } = input;
  const out: Draft = {
    text: new DockerfileText(),
    reasons: [`Detected ${facts.framework ?? 'a Python project'} with ${facts.packageManager ?? 'pip'}.`],
    ignore: ['.venv', 'venv', '__pycache__', '*.pyc', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', 'htmlcov'],
  };
  out.text
    .add(`FROM ${image('python')} AS build`)
    .add('WORKDIR /app')
    .add('ENV PIP_DISABLE_PIP_VERSION_CHECK=1');
  for (const line of installSteps(facts, out.reasons)) out.text.add(line);
  const port = choosePort(facts, 8000, 'the usual port of Python web servers', out.reasons);
  out.text
    .blank()
    .add(`FROM ${image('python')}`)
    .add('WORKDIR /app')
    .add(`ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PATH=/app/.venv/bin:$PATH PORT=${port}`)
    .add('RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app')
    .add('COPY --from=build /app/.venv /app/.venv')
    .add('COPY --chown=app:app . .');
  if (facts.framework === 'Django') {
    out.text.add('RUN SECRET_KEY=build-only python manage.py collectstatic --noinput || true');
    out.reasons.push(
      'Django static files are collected at build time (skipped when settings need more than SECRET_KEY).',
    );
  }
  out.text.add('USER app').add(`EXPOSE ${port}`);
  out.reasons.push('User: app (uid 10001), created for the app; the python image would otherwise run as root.');
  out.text.cmd(pythonStart(facts, port, out.reasons));
  return out;
}

function pythonStart(facts: ProjectFacts, port: number, reasons: string[]): string[] {
  if (facts.procfileWeb) {
    reasons.push('Start: the web process of the Procfile.');
    return startCommand(facts.procfileWeb);
  }
  const bind = `0.0.0.0:${port}`;
  const gunicorn = facts.dependencies.includes('gunicorn');
  if (facts.framework === 'Django') {
    const project = facts.djangoProject;
    if (project && gunicorn) {
      reasons.push(`Start: gunicorn ${project}.wsgi (Django's WSGI module, gunicorn is a dependency).`);
      return ['gunicorn', `${project}.wsgi:application`, '--bind', bind];
    }
    reasons.push('Start: manage.py runserver; add gunicorn to your dependencies for production and edit this line.');
    return ['python', 'manage.py', 'runserver', bind];
  }
  const app = facts.pythonApp ?? (facts.framework === 'FastAPI' ? 'main:app' : 'app:app');
  if (facts.framework === 'FastAPI' || facts.dependencies.includes('uvicorn')) {
    reasons.push(`Start: uvicorn ${app}, the ASGI server FastAPI apps run on.`);
    return ['uvicorn', app, '--host', '0.0.0.0', '--port', String(port)];
  }
  if (gunicorn) {
    reasons.push(`Start: gunicorn ${app} (gunicorn is a dependency).`);
    return ['gunicorn', app, '--bind', bind];
  }
  if (facts.framework === 'Flask') {
    reasons.push(`Start: flask run for ${app}; add gunicorn to your dependencies for production and edit this line.`);
    return ['flask', '--app', app.split(':')[0] ?? 'app', 'run', '--host', '0.0.0.0', '--port', String(port)];
  }
  reasons.push('Start: python main.py (no framework recognised; edit this line).');
  return ['python', facts.files.includes('app.py') ? 'app.py' : 'main.py'];
}
