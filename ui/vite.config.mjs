// Vite config for the UI (plain JS: the repo's import-x lint resolver cannot load the `vite` package types).
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The UI is served by Kiln's own server at `/`; in development Vite proxies the API to a running Kiln.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/api': { target: process.env.KILN_API_URL ?? 'http://localhost:8080', changeOrigin: true } },
  },
});
