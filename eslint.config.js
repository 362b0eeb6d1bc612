// ESLint flat config. The import walls (import-x/no-restricted-paths) keep each room of src/ to
// the rooms below it; the block for workflow code (src/workflows, src/arazzo, src/contract) keeps
// it deterministic: no HTTP client, no Node built-ins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Every value of `Failure` in src/arazzo/failures.ts, as an exact-match pattern (kept equal by a test). */
export const KNOWN_FAILURE_TYPES =
  '/^(Arazzo(UnknownWorkflow|InvalidInput|StepFailed|StepError|StepBudgetExhausted|WorkflowFailed|ResourceFailed|RunCancelled|ExecutionTimeout|WaitTimeout|InternalError)|UnknownSource|UnsafeRequestUrl|Http(RequestInvalid|TransportError|RetryableStatus)|TokenRequestFailed|AuthenticationFailed|Resource(Conflict|ConflictUnresolved|Busy)|CreateOutcomeUnknown|AdoptLookupFailed)$/';

/**
 * An import wall: files in src/<room> may import only from the rooms listed (and their own);
 * README, "How the code is laid out", draws the same picture.
 */
const zone = (room, may, extra = []) => ({
  target: `./src/${room}`,
  from: './src',
  except: [room, ...may, ...extra].map((r) => `./${r}`),
  message: `src/${room} may import only ${[room, ...may].join(', ')} (README: How the code is laid out).`,
});

/** What workflow code (src/workflows, src/arazzo, src/contract) must not import. */
const DETERMINISTIC_IMPORTS = {
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
  ],
};

/** The entry points at the root of src/: process wiring over the rooms below them. */
const ENTRY_POINTS = ['worker.ts', 'client.ts', 'start.ts', 'stack-prod.ts', 'notification-receiver.ts'];
const ENTRY_MAY = ['config', 'worker', 'cli', 'dev-server', 'prod-stack', 'receiver'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.tools/**',
      '.data/**',
      'test-results/**',
      'test/fixtures/**',
      'src/catalog/checks/*.generated.ts',
    ],
  },
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
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            zone('arazzo', []),
            zone('contract', ['arazzo']),
            zone('workflows', ['arazzo', 'contract']),
            zone('config', ['arazzo', 'catalog']),
            zone('catalog', ['arazzo']),
            zone('activities', ['arazzo', 'contract', 'config', 'catalog']),
            zone('cli', ['arazzo', 'contract', 'config', 'catalog']),
            zone('worker', ['arazzo', 'contract', 'config', 'catalog', 'activities']),
            zone('receiver', ['arazzo', 'contract', 'config', 'worker']),
            zone('dev-server', ['config']),
            zone('prod-stack', ['config', 'dev-server']),
            ...ENTRY_POINTS.map((file) => ({
              target: `./src/${file}`,
              from: './src',
              except: ENTRY_MAY.map((r) => `./${r}`),
              message: `an entry point may import only ${ENTRY_MAY.join(', ')} (README: How the code is laid out).`,
            })),
            ...ENTRY_POINTS.map((file) => ({
              target: './src',
              from: `./src/${file}`,
              message: 'Nothing imports an entry point: import the room it wires instead.',
            })),
            { target: './src', from: './simulator', message: 'The simulator is a separate program.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/arazzo/**/*.ts', 'src/contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...DETERMINISTIC_IMPORTS,
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
    // The pure core knows nothing of Temporal or of the contract built on it (src/contract imports
    // the core, never the other way round).
    files: ['src/arazzo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...DETERMINISTIC_IMPORTS,
          patterns: [
            ...DETERMINISTIC_IMPORTS.patterns,
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
