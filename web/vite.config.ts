// Builds the web interface into dist/: hashed assets under dist/assets/ (the
// node serves them as immutable), index.html, and routes.json, the client-side
// routes for which the node answers index.html (src/api/static_files.h).

import { defineConfig, type Plugin } from 'vite';
import { clientRoutes } from './src/modules/paths.ts';

function routesManifest(): Plugin {
  return {
    name: 'jisr-routes-manifest',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'routes.json',
        source: `${JSON.stringify({ routes: clientRoutes }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  plugins: [routesManifest()],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No data: URLs, so the Content-Security-Policy can stay at 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` proxies the API to a node started with `make run`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
