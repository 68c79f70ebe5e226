// The house rules of ../shared/style.md that a machine can check, run with the suite so they cannot rot: lint
// (layering, determinism, function length, formatting) is clean, file names are kebab-case, and every export of
// Kiln's own code says in one line what it is for.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

async function trackedFiles(): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\n').filter(Boolean);
}

/** Kiln's own code: what the rule "a one-line doc comment on each export" is about (not tests, bench or migrations). */
function isSource(file: string): boolean {
  return (
    /\.tsx?$/.test(file) &&
    !file.endsWith('.d.ts') &&
    !/^(tests|bench|db\/migrations)\//.test(file) &&
    !/(^|\/)[^/]+\.config\.ts$/.test(file)
  );
}

// A type named after the value it is derived from (`ReturnType<typeof createX>`, `(typeof statuses)[number]`) is
// documented by that value's comment.
const derivedType =
  /^(ReturnType<typeof [\w.]+>|\(typeof [\w.]+\)\[(number|keyof typeof [\w.]+)\]|keyof typeof [\w.]+|typeof [\w.]+\.\$infer\w+)$/;

function isDerivedType(statement: ts.Statement): boolean {
  return ts.isTypeAliasDeclaration(statement) && derivedType.test(statement.type.getText());
}

// An OpenAPI route is documented by its `summary`, which the API's spec shows to every client.
function isSummarisedRoute(statement: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  const init = statement.declarationList.declarations[0]?.initializer;
  return (
    init !== undefined &&
    ts.isCallExpression(init) &&
    init.expression.getText() === 'createRoute' &&
    /\bsummary:\s*['`]/.test(init.getText())
  );
}

/** `file:line` of each exported declaration without a JSDoc comment. */
async function undocumentedExports(file: string): Promise<string[]> {
  const text = await readFile(path.join(repoRoot, file), 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  return source.statements
    .filter((statement) => ts.canHaveModifiers(statement))
    .filter((statement) => ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    .filter((statement) => ts.getJSDocCommentsAndTags(statement).length === 0)
    .filter((statement) => !isDerivedType(statement) && !isSummarisedRoute(statement))
    .map((statement) => `${file}:${source.getLineAndCharacterOfPosition(statement.getStart()).line + 1}`);
}

describe('house rules', () => {
  it('names every file in kebab-case', async () => {
    // drizzle-kit names the generated migrations (0000_init.sql, meta/_journal.json) itself.
    const offenders = (await trackedFiles())
      .filter((file) => !file.startsWith('db/migrations/'))
      .map((file) => path.basename(file))
      .filter((name) => !['README.md', 'Dockerfile'].includes(name))
      .filter((name) => !/^\.?[a-z0-9]+([.-][a-z0-9]+)*$/.test(name));
    expect(offenders).toEqual([]);
  });

  it('gives every export of Kiln’s code a doc comment', async () => {
    const sources = (await trackedFiles()).filter(isSource);
    const missing = (await Promise.all(sources.map(undocumentedExports))).flat();
    expect(missing).toEqual([]);
  });

  it('is lint-clean and formatted (npm run lint)', async () => {
    const result = await run('npm', ['run', '--silent', 'lint'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout}${error.stderr}` }),
    );
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 600_000);
});
