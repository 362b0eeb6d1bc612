/**
 * Every default of the configuration, written once: the worker, the CLI, help texts and `npm start`
 * read them from here.
 */
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/** The Temporal server when nothing says otherwise (the dev server of `npm start`). */
export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
/** The task queue of the worker and of the runs the CLI starts. */
export const DEFAULT_TASK_QUEUE = 'arazzo';
/** The Web UI of the local dev server, when the client talks to it on its usual port. */
export const DEV_SERVER_UI = 'http://127.0.0.1:8233';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'INFO';
export const DEFAULT_LOG_FORMAT = 'json';

/** The project's own catalog folder and OpenAPI description of Airbyte. */
export const defaultCatalogFolder = join(projectRoot, 'arazzo');
export const bundledAirbyteDescription = join(projectRoot, 'openapi', 'airbyte-openapi.yml');
/** The source name the bundled Airbyte description serves (the seeds' name for the Airbyte API). */
export const BUNDLED_SOURCE_NAME = 'airbyteApi';
/** The prebuilt workflow bundle of `npm run build`. */
export const defaultWorkflowBundle = join(projectRoot, 'dist', 'workflow-bundle.js');

/** Airbyte's job creation can take 30-130 s under load: a shorter client timeout causes the duplicate-job retries it is known for. */
export const AIRBYTE_DEFAULT_TIMEOUT_SECONDS = 150;
export const GENERIC_DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
