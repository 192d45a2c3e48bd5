// ESLint flat config. The core/ block keeps the consensus library pure (DESIGN.md: Layout).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// core/'s folders, each with the folders it may import (DESIGN.md: Layout; docs/architecture.md).
const CORE_LAYERS = {
  primitives: [],
  consensus: ['primitives'],
  mempool: ['primitives', 'consensus'],
  mining: ['primitives', 'consensus'],
  wire: ['primitives', 'consensus'],
  chain: ['primitives', 'consensus', 'mempool'],
};

/** An import pattern refusing everything a file in core/<folder>/ may not import. */
function layerPattern(folder, below) {
  const down = below.length ? `|\\.\\./(${below.join('|')})/[^/]+$` : '';
  const allowed = below.length ? below.map((b) => `${b}/`).join(', ') : 'no other folder of core';
  return {
    regex: `^(?!@noble/|@scure/|\\./[^/]+$${down})`,
    message: `core/${folder}/ may import its own files, @noble/*, @scure/* and ${allowed} (imports point down).`,
  };
}

// Globals that would give core/ I/O, a clock or randomness.
const impure = ['window', 'document', 'indexedDB', 'localStorage', 'sessionStorage', 'navigator'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'coverage', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': [
        'error',
        ...impure.map((name) => ({
          name,
          message: 'core/ is pure: no DOM, storage, network, clock or randomness.',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core/ takes time as a parameter.' },
        { object: 'Math', property: 'random', message: 'core/ takes randomness as a parameter.' },
      ],
    },
  },
  // core/ by concern: each folder imports its own files, the layers below it, and @noble/* or
  // @scure/*; nothing else (no upward import, no I/O library). core/index.ts re-exports folders.
  ...Object.entries(CORE_LAYERS).map(([folder, below]) => ({
    files: [`core/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerPattern(folder, below)] }] },
  })),
  {
    files: ['core/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\./(${Object.keys(CORE_LAYERS).join('|')})/index\\.js$)`,
              message: "core/index.ts re-exports the folders' index.ts files only.",
            },
          ],
        },
      ],
    },
  },
  {
    // Generated files are exempt from the size guide; they say so on their first line.
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    ignores: ['core/mining/sha256-unrolled.ts'],
    rules: { 'max-lines': ['error', { max: 450 }] },
  },
  {
    // The tracker only relays signals: of core it may use the signal message types, and it
    // never imports the client (DESIGN.md: dependency direction).
    files: ['tracker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/client/**'], message: 'tracker/ and client/ never import each other.' },
            {
              regex: '^\\.\\./core/(?!wire/signal\\.js$)',
              message: 'tracker/ imports only core/wire/signal.js from core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/tracker/**'], message: 'client/ and tracker/ never import each other.' },
            {
              regex: '/core/(?!index\\.js$)',
              message: 'client/ imports core through its one public entry, core/index.js.',
            },
          ],
        },
      ],
    },
  },
);
