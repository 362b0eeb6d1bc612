/**
 * Where the peers' Python lives: a virtual environment in `.tools/peers-venv` (ignored by git),
 * made by `npm run bench:peers:install` from bench/peers/requirements.txt and constraints.txt.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/project-root.js';

const run = promisify(execFile);

export const peersDir = join(projectRoot, 'bench', 'peers');
export const defaultVenvDir = join(projectRoot, '.tools', 'peers-venv');
export const INSTALL_HINT = 'npm run bench:peers:install';

/** The distributions the driver needs, with the versions requirements.txt pins. */
export const PINNED = {
  'apache-airflow': '3.3.2',
  'apache-airflow-providers-airbyte': '6.2.0',
  'airbyte-api': '1.0.1',
} as const;

export type PeersCheck =
  | { ok: true; python: string; versions: Record<string, string>; warnings: string[] }
  | { ok: false; reason: string };

/**
 * Whether the Airflow peers can run: the venv's interpreter exists and imports the provider's
 * trigger and sensor. When not, `reason` says what is missing and how to install it.
 */
export async function checkPeers(venvDir = defaultVenvDir): Promise<PeersCheck> {
  const python = join(venvDir, 'bin', 'python');
  if (!existsSync(python)) {
    return {
      ok: false,
      reason: `Airflow peers not installed (no Python virtual environment at ${venvDir}): run \`${INSTALL_HINT}\` (Python ≥ 3.11, packages from PyPI)`,
    };
  }
  const probe = [
    'import json',
    'from importlib.metadata import version',
    'import airflow.providers.airbyte.triggers.airbyte, airflow.providers.airbyte.sensors.airbyte',
    `print(json.dumps({d: version(d) for d in ${JSON.stringify(Object.keys(PINNED))}}))`,
  ].join('\n');
  try {
    const { stdout } = await run(python, ['-c', probe], {
      env: { ...process.env, AIRFLOW_HOME: join(venvDir, 'airflow-home') },
      timeout: 120_000,
    });
    const versions = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
    const warnings = Object.entries(PINNED)
      .filter(([name, pinned]) => versions[name] !== pinned)
      .map(([name, pinned]) => `${name} ${versions[name] ?? '?'} installed, ${pinned} pinned`);
    return { ok: true, python, versions, warnings };
  } catch (error) {
    const detail =
      error instanceof Error ? (error.message.split('\n').find((l) => /Error/.test(l)) ?? '') : '';
    return {
      ok: false,
      reason: `Airflow peers not usable: ${python} cannot import the Airbyte provider${detail ? ` (${detail.trim()})` : ''}; run \`${INSTALL_HINT}\` again`,
    };
  }
}
