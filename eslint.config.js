// ESLint flat config. The block for src/workflows/** is the wall that keeps workflow code
// deterministic: no HTTP client, no Node built-ins, no activity implementations.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Every value of `Failure` in src/arazzo/failures.ts, as an exact-match pattern (kept equal by a test). */
export const KNOWN_FAILURE_TYPES =
  '/^(Arazzo(UnknownWorkflow|InvalidInput|StepFailed|StepError|StepBudgetExhausted|WorkflowFailed|ResourceFailed|RunCancelled|ExecutionTimeout|WaitTimeout|InternalError)|UnknownSource|UnsafeRequestUrl|Http(RequestInvalid|TransportError|RetryableStatus)|TokenRequestFailed|AuthenticationFailed|Resource(Conflict|ConflictUnresolved|Busy)|CreateOutcomeUnknown|AdoptLookupFailed)$/';

/** Imports refused in deterministic code (src/workflows, src/contract, src/arazzo). */
const deterministicImports = {
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
};

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
    files: ['src/workflows/**/*.ts', 'src/arazzo/**/*.ts', 'src/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', deterministicImports],
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
    // The pure core knows nothing of Temporal or of the contract built on it (src/contract imports
    // the core, never the other way round).
    files: ['src/arazzo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...deterministicImports,
          patterns: [
            ...deterministicImports.patterns,
            {
              group: ['@temporalio/*'],
              message: 'src/arazzo is SDK-free: Temporal belongs in src/workflows.',
            },
            {
              group: ['**/contract', '**/contract/*'],
              message: 'src/contract imports the core, not the reverse.',
            },
          ],
        },
      ],
    },
  },
  {
    // One list of failure types (src/arazzo/failures.ts): a failure type is never written as a
    // string anywhere else, so a new one cannot be thrown without its line of meaning there.
    // test/unit/failures.test.ts checks that KNOWN_FAILURE_TYPES names exactly that list.
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['src/arazzo/failures.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `Literal[value=${KNOWN_FAILURE_TYPES}]`,
          message: 'A failure type: use Failure.* from src/arazzo/failures.ts.',
        },
        {
          selector: "CallExpression[callee.object.name='ApplicationFailure'][arguments.1.type=/Literal$/]",
          message:
            'A failure type comes from Failure in src/arazzo/failures.ts (add it there with its meaning).',
        },
        {
          selector:
            "CallExpression[callee.object.name='ApplicationFailure'] Property[key.name='type'][value.type=/Literal$/]",
          message:
            'A failure type comes from Failure in src/arazzo/failures.ts (add it there with its meaning).',
        },
        {
          selector: 'CallExpression[callee.name=/^fail(ure)?$/][arguments.1.type=/Literal$/]',
          message:
            'A failure type comes from Failure in src/arazzo/failures.ts (add it there with its meaning).',
        },
        {
          selector: "Property[key.name='nonRetryableErrorTypes'] Literal",
          message:
            'Non-retryable failure types come from src/arazzo/failures.ts (NEVER_RETRIED_CALL_FAILURES).',
        },
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
