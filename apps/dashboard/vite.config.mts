import { defineConfig } from 'vite';

// Built by `npm run build` from the repository root into dist/dashboard, which the api serves at `/`.
export default defineConfig({
  root: 'apps/dashboard',
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Inline nothing: the page's CSP allows scripts and styles from our own files only.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
