/** The machine and versions a benchmark ran on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';

export interface MachineInfo {
  nproc: number;
  memoryGb: number;
  cpuModel: string;
  kernel: string;
  node: string;
  temporalSdk: string;
  temporalCli: string;
  date: string;
  gitCommit: string;
  gitDirty: boolean;
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

export function machineInfo(cliPath: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  const sdk = JSON.parse(
    readFileSync(join(projectRoot, 'node_modules/@temporalio/worker/package.json'), 'utf8'),
  ) as { version: string };
  return {
    nproc: Number(run('nproc', [])) || availableParallelism(),
    memoryGb: Math.round((memKb / 1024 / 1024) * 10) / 10,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    kernel: run('uname', ['-r']),
    node: process.version,
    temporalSdk: sdk.version,
    temporalCli: run(cliPath, ['--version']),
    date: new Date().toISOString(),
    gitCommit: run('git', ['rev-parse', 'HEAD']),
    gitDirty: run('git', ['status', '--porcelain']) !== '',
  };
}
