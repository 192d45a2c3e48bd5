/** Vite builds the browser node (client/) and vitest runs the unit and integration tests. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const page = (name: string) => fileURLToPath(new URL(`./client/${name}`, import.meta.url));

export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { main: page('index.html'), bench: page('bench.html') } },
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
