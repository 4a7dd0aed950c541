import { defineConfig } from 'vite';

// Built by `npm run build` from the repository root into dist/dashboard, which the api serves at `/`.
export default defineConfig({
  root: 'apps/dashboard',
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  // `npm run dev:dashboard` with the api on :3000 (`npm start`): same-origin calls, proxied.
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Inline nothing: the page's CSP allows scripts and styles from our own files only.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
