/**
 * The Airbyte API simulator as a child process, run the way `npm run sim` runs it: for `npm start`
 * and `npm run stack:prod`. The simulator is a separate program; nothing in src/ imports it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root.js';

export interface SimulatorHandle {
  url: string;
  close(): Promise<void>;
}

/** The simulator is a separate program: `npm start` runs it the way `npm run sim` does, as a child process. */
export async function startSimulatorProcess(port: number): Promise<SimulatorHandle> {
  const compiled = join(projectRoot, 'dist', 'simulator', 'main.js');
  const args =
    import.meta.url.endsWith('.js') && existsSync(compiled)
      ? [compiled]
      : ['--import', 'tsx', join(projectRoot, 'simulator', 'main.ts')];
  const child = spawn(process.execPath, [...args, '--port', String(port), '--demo', '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the Airbyte simulator exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `${origin}/v1`,
    close: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
