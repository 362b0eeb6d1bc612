/**
 * The standalone Temporal Web UI server (`temporal-ui-server`, built from
 * github.com/temporalio/ui-server/v2, whose `ui/assets` carry the built UI) with the committed
 * configuration deploy/temporal-ui/production.yaml.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { killOnExit, terminate } from '../dev-server/processes.js';
import { projectRoot } from '../config/project-root.js';

export const UI_CONFIG_DIR = 'deploy/temporal-ui';

export interface UiServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the UI server and resolves once it answers HTTP. */
export async function startUiServer(options: {
  uiServer: string;
  temporalAddress: string;
  port: number;
  logFile: string;
}): Promise<UiServer> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  await new Promise((r) => log.once('open', r));
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    options.uiServer,
    ['--root', projectRoot, '--config', UI_CONFIG_DIR, '--env', 'production', 'start'],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: options.temporalAddress,
        TEMPORAL_UI_IP: '127.0.0.1',
        TEMPORAL_UI_PORT: String(options.port),
        TEMPORAL_CORS_ORIGINS: url,
      },
      stdio: ['ignore', log, log],
    },
  );
  killOnExit(child);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null)
      throw new Error(`temporal-ui-server exited with code ${child.exitCode} (log: ${options.logFile})`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        stop: async () => {
          await terminate(child);
          log.end();
        },
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`temporal-ui-server did not answer at ${url} within 60 s (log: ${options.logFile}).`);
}
