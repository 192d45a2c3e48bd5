// ESLint flat config. The core/ block keeps the consensus library pure (DESIGN.md: Layout).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@noble/|@scure/|\\./|\\.\\./core/)',
              message: 'core/ is pure: it may import only @noble/*, @scure/* and core itself.',
            },
          ],
        },
      ],
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
              regex: '^\\.\\./core/(?!signal\\.js$)',
              message: 'tracker/ imports only core/signal.js from core.',
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
          ],
        },
      ],
    },
  },
);
