/**
 * `npm run build` (second half): bundles the workflow code once, so a production worker starts
 * without webpack (ARAZZO_WORKFLOW_BUNDLE, or dist/workflow-bundle.js next to a compiled worker).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';
import { workflowsPath } from '../src/worker/setup.js';
import { bundleWorkflows } from '../src/worker/workflow-bundle.js';

const { code } = await bundleWorkflows({ workflowsPath: workflowsPath(), logger: undefined });
const out = join(projectRoot, 'dist', 'workflow-bundle.js');
await writeFile(out, code);
process.stdout.write(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)\n`);
