/** Settings only the client reads: which task queue it starts runs on, and where the Web UI is. */
import { DEFAULT_TASK_QUEUE, DEV_SERVER_UI } from './defaults.js';

/** The worker's task queue: the flag, else TEMPORAL_TASK_QUEUE, else the worker's default. */
export function clientTaskQueue(env: NodeJS.ProcessEnv, flag: string | undefined): string {
  return flag?.trim() || env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
}

/**
 * Where the Web UI is: ARAZZO_UI_URL (e.g. http://127.0.0.1:8233), else, for the local dev server
 * on its usual port (what `npm start` runs), the dev server's UI port.
 */
export function webUiBase(env: NodeJS.ProcessEnv, address: string | undefined): string | undefined {
  const configured = env.ARAZZO_UI_URL?.trim().replace(/\/+$/, '');
  if (configured) return configured;
  if (address && /^(127\.0\.0\.1|localhost):7233$/.test(address)) return DEV_SERVER_UI;
  return undefined;
}
