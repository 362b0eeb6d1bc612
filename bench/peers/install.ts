/**
 * `npm run bench:peers:install`: makes .tools/peers-venv with Airflow and its Airbyte provider
 * (bench/peers/requirements.txt, every dependency pinned by constraints.txt) for the benchmark's
 * `peers` scenario. Needs Python ≥ 3.11 (the provider's floor) with venv; set
 * ARAZZO_PEERS_PYTHON to choose the interpreter. Runs pip at the lowest CPU priority, as the
 * machines are shared. About 130 packages from PyPI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkPeers, defaultVenvDir, peersDir } from './venv.js';

function pythonVersion(python: string): [number, number] | undefined {
  try {
    const out = execFileSync(python, ['-c', 'import sys, venv, ensurepip; print(*sys.version_info[:2])'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    const [major, minor] = out.trim().split(' ').map(Number);
    return major !== undefined && minor !== undefined ? [major, minor] : undefined;
  } catch {
    return undefined;
  }
}

function choosePython(): string {
  const candidates = process.env.ARAZZO_PEERS_PYTHON
    ? [process.env.ARAZZO_PEERS_PYTHON]
    : ['python3', 'python3.13', 'python3.12', 'python3.11'];
  for (const python of candidates) {
    const v = pythonVersion(python);
    if (v && v[0] === 3 && v[1] >= 11 && v[1] <= 14) return python;
  }
  throw new Error(
    `no Python 3.11–3.14 with venv among ${candidates.join(', ')}: install one (e.g. apt-get install python3-venv) or set ARAZZO_PEERS_PYTHON`,
  );
}

function step(command: string, args: string[]): void {
  process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
  const r = spawnSync('nice', ['-n', '19', command, ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${command} exited with ${r.status ?? r.signal}`);
}

async function main(): Promise<void> {
  const python = choosePython();
  const venvPython = join(defaultVenvDir, 'bin', 'python');
  rmSync(defaultVenvDir, { recursive: true, force: true });
  step(python, ['-m', 'venv', defaultVenvDir]);
  step(venvPython, [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '-r',
    join(peersDir, 'requirements.txt'),
    '-c',
    join(peersDir, 'constraints.txt'),
  ]);
  const check = await checkPeers();
  if (!check.ok) throw new Error(check.reason);
  process.stdout.write(
    `Airflow peers ready in .tools/peers-venv: ${Object.entries(check.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}${check.warnings.length ? ` (warning: ${check.warnings.join('; ')})` : ''}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:peers:install failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
