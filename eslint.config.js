// Lint is where the import zones are enforced: a zone violation fails `npm test`.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const tsFiles = ['**/*.{ts,tsx}'];
const testFiles = ['**/*.test.{ts,tsx}', 'test/**', '**/test/**', '*.config.ts'];

/** Files that may import 'electron' at all. */
const electronImporters = ['electron/main.ts', 'electron/preload.ts', 'electron/adapters/**', 'electron/ipc/electronTransport.ts'];

const zone = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ['node_modules/**', '**/node_modules/**', 'out/**', 'dist/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: tsFiles,
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.es2023 } },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'import-x/no-cycle': 'off',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./shared', ['./electron', './renderer', './server', './test', './assets'], 'shared/ is pure: it imports only shared/.'),
            zone('./renderer', ['./electron', './server'], 'renderer/ imports only renderer/ and shared/ (talk to the host through src/bridge).'),
            zone('./electron', ['./renderer', './server'], 'electron/ imports only electron/ and shared/.'),
            zone('./server', ['./renderer', './electron'], 'server/ imports only server/ and shared/.'),
          ],
        },
      ],
    },
  },
  {
    // shared/: no DOM, no Node, no frameworks: relative imports, zod, and mrz (pure ICAO 9303 parsing).
    files: ['shared/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$)(?!mrz$)(?!\\.{1,2}/)', message: 'shared/ may import only shared/, zod and mrz (no Node, DOM or framework code).' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the host only through src/bridge.' }],
          patterns: [{ regex: '^node:', message: 'The renderer is browser code: no Node modules.' }],
        },
      ],
    },
  },
  {
    // Only src/bridge touches the host's globals.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/bridge/**', ...testFiles],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'invigil', message: 'Use the host bridge (renderer/src/bridge).' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'server/**/*.ts', 'scripts/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/**/*.ts', 'server/**/*.ts', 'scripts/**'],
    ignores: [...electronImporters, ...testFiles],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: "Only electron/main.ts, preload.ts, adapters/ and ipc/electronTransport.ts import 'electron'." }] },
      ],
    },
  },
  {
    // Raw IPC only inside the typed transport (and the preload, its renderer half).
    files: ['electron/main.ts', 'electron/adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Raw IPC lives in electron/ipc/electronTransport.ts.' }] },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc/electronTransport.ts', ...testFiles],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='webContents'][property.name='send']",
          message: 'Send events through the typed transport (electron/ipc/electronTransport.ts).',
        },
      ],
    },
  },
  {
    files: testFiles,
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    // Tests may cross the zones: they wire real pieces together and measure them.
    rules: { 'import-x/no-restricted-paths': 'off', 'no-restricted-imports': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
