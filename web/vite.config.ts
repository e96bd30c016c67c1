// Builds the web interface into dist/: hashed assets under dist/assets/ (the
// node serves them as immutable), index.html, and routes.json, the client-side
// routes for which the node answers index.html (src/api/static_files.h).
//
// Code splitting: the entry chunk holds the shell (src/app: sign-in,
// navigation, router, i18n with the shell's messages, api, session,
// permissions), every module's descriptor and the home page; each feature
// module's screens (src/modules/<id>/screens.tsx) are a chunk of their own,
// named after the module, loaded on first use; the modules' messages are one
// chunk per language (src/app/catalogues). See docs/architecture.md
// ("Loading on demand").

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

// Every module the entry reaches through static imports, known at the end of
// the build. Rolldown would otherwise split modules shared by the entry and
// a lazy chunk into extra chunks the first screen loads anyway (more
// requests on a slow network); the "shell" group keeps them in one.
function entryClosure(): Plugin & { modules: Set<string> } {
  const modules = new Set<string>();
  return {
    name: 'jisr-entry-closure',
    apply: 'build',
    modules,
    buildEnd() {
      modules.clear();
      const entry = [...this.getModuleIds()].find((id) => this.getModuleInfo(id)?.isEntry);
      const stack = entry ? [entry] : [];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (modules.has(id)) continue;
        modules.add(id);
        stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
    },
  };
}

const closure = entryClosure();

// "alerts-[hash].js" for src/modules/alerts/screens.tsx, "i18n-fr-[hash].js"
// for src/app/catalogues/fr.ts.
function chunkName(facade: string | null | undefined, fallback: string): string {
  const path = (facade ?? '').replace(/\\/g, '/');
  const screens = path.match(/\/src\/modules\/(\w+)\/screens\.tsx?$/);
  if (screens) return screens[1];
  const messages = path.match(/\/src\/app\/catalogues\/(\w+)\.ts$/);
  if (messages) return `i18n-${messages[1]}`;
  return fallback;
}

export default defineConfig({
  plugins: [routesManifest(), closure],
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
    rolldownOptions: {
      output: {
        // A module's style sheet after the module ("reports-[hash].css").
        assetFileNames: (asset) =>
          `assets/${chunkName(asset.originalFileNames?.[0] ? `/${asset.originalFileNames[0]}` : null, '[name]')}-[hash][extname]`,
        chunkFileNames: (chunk) => `assets/${chunkName(chunk.facadeModuleId, chunk.name)}-[hash].js`,
        codeSplitting: {
          groups: [{ name: 'index', test: (id: string) => closure.modules.has(id), priority: 100 }],
        },
      },
    },
  },
  server: {
    // `npm run dev` proxies the API to a node started with `make run`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
