/** Vite builds the browser node (client/) and vitest runs the unit and integration tests. */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const page = (name: string) => fileURLToPath(new URL(`./client/${name}`, import.meta.url));

/**
 * Writes the list of built files into the service worker (client/sw.ts) and a version from
 * their content-hashed names, so a new build installs a fresh app-shell cache.
 */
function serviceWorkerPrecache(): Plugin {
  return {
    name: 'tabcoin-sw-precache',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') return;
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map') && !/bench/.test(f))
        .sort();
      const precache = ['./', ...files.filter((f) => f !== 'index.html')];
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      // Whole string literals are replaced (whatever quotes the minifier chose).
      const literal = (name: string) => new RegExp(`(["'\`])${name}\\1`);
      sw.code = sw.code
        .replace(literal('__TABCOIN_PRECACHE__'), JSON.stringify(JSON.stringify(precache)))
        .replace(/__TABCOIN_VERSION__/, version);
    },
  };
}

const WASM_URL_MODULE = 'virtual:tiny-secp256k1-wasm-url';

/**
 * tiny-secp256k1 (libsecp256k1 in WebAssembly, used by the verification workers) imports its
 * .wasm as an ES module, which Vite cannot bundle: load it with our loader instead
 * (client/verify/secp256k1-wasm.browser.ts), the .wasm emitted as an asset by `?url`.
 */
function tinySecp256k1Wasm(): Plugin {
  const lib = join(dirname(createRequire(import.meta.url).resolve('tiny-secp256k1')), '..');
  return {
    name: 'tabcoin-tiny-secp256k1-wasm',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === WASM_URL_MODULE) return `\0${WASM_URL_MODULE}`;
      const fromPackage = importer !== undefined && importer.includes('tiny-secp256k1');
      if (fromPackage && /^\.\/wasm_loader(\.browser)?\.js$/.test(source)) {
        return fileURLToPath(new URL('./client/verify/secp256k1-wasm.browser.ts', import.meta.url));
      }
      return undefined;
    },
    load(id) {
      if (id !== `\0${WASM_URL_MODULE}`) return undefined;
      return `export { default } from ${JSON.stringify(`${join(lib, 'secp256k1.wasm')}?url`)};`;
    },
  };
}

export default defineConfig({
  plugins: [serviceWorkerPrecache(), tinySecp256k1Wasm()],
  // Module workers (they are created with type: 'module'); the verification worker loads
  // libsecp256k1 with a dynamic import and a top-level await.
  worker: { format: 'es', plugins: () => [tinySecp256k1Wasm()] },
  root: 'client',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { main: page('index.html'), bench: page('bench.html'), sw: page('sw.ts') },
      // The service worker keeps a fixed name at the root: its scope is the whole app.
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  // `npm run dev`: the page on Vite, signaling proxied to the tracker (tools/dev.mjs).
  server: {
    proxy: {
      '/socket.io': { target: `http://127.0.0.1:${process.env.TRACKER_PORT ?? 8080}`, ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 30_000,
    // Conditions, not sleeps: tests poll for what they wait on. A shared 2-core CI machine can
    // take seconds to sync a few blocks between in-process nodes, so polls wait up to 10 s.
    expect: { poll: { timeout: 10_000, interval: 20 } },
  },
});
