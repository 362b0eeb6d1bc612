// ESLint flat config. The block for src/workflows/** is the wall that keeps workflow code
// deterministic: no HTTP client, no Node built-ins, no activity implementations.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'test-results/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/arazzo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'got', message: 'Workflow code must not do I/O: call an activity instead.' },
            { name: '@temporalio/activity', message: 'Activity APIs are not available in workflow code.' },
            { name: '@temporalio/client', message: 'Use @temporalio/workflow in workflow code.' },
            { name: '@temporalio/worker', message: 'Use @temporalio/workflow in workflow code.' },
            { name: 'yaml', message: 'Parse documents at the edge (worker, client or an activity).' },
            { name: 'ajv', message: 'Ajv generates code with new Function: validate at the edge.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not deterministic: use an activity.' },
            {
              group: ['fs', 'fs/*', 'http', 'https', 'net', 'child_process', 'os', 'path', 'crypto'],
              message: 'Node built-ins are not deterministic: use an activity.',
            },
            {
              group: ['**/activities', '**/activities/*', '**/activities/**'],
              allowTypeImports: true,
              message: 'Import activity types only (import type), never implementations.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a workflow timer loop.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Non-deterministic in workflow code.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', URL: 'readonly', console: 'readonly', Buffer: 'readonly' },
    },
  },
);
