import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** Where `npm run build:ui` writes the status UI. */
export const uiDistDir = fileURLToPath(new URL('../ui/dist', import.meta.url));

/**
 * Serves the built UI at `/` with a fallback to index.html for client-side routes. Without a build it answers
 * with a page that says how to make one, instead of a bare 404.
 */
export function staticUi(distDir: string = uiDistDir): Hono {
  const ui = new Hono();
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) {
    ui.get('*', (c) => c.html('<p>The Kiln UI is not built. Run <code>npm run build:ui</code> and reload.</p>', 503));
    return ui;
  }
  const root = path.relative(process.cwd(), distDir) || '.';
  ui.use('/assets/*', serveStatic({ root }));
  ui.get('/favicon.svg', serveStatic({ root }));
  ui.get('*', async (c) => c.html(await readFile(indexFile, 'utf8')));
  return ui;
}
