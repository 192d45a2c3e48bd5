/** Vite builds the browser node (client/) and vitest runs the unit and integration tests. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'client',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
