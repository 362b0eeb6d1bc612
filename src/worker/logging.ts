/**
 * Structured logs: one JSON object a line (or readable text), carrying the SDK's metadata
 * (workflowId, runId, activityType, …) so a line can be traced to its run. Every line passes the
 * redactor, so a secret that slipped into an error message never reaches the log.
 */
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';

const ORDER: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export interface StructuredLoggerOptions {
  level: LogLevel;
  format: 'json' | 'text';
  /** Removes secrets from a line before it is written. */
  redact: (text: string) => string;
  write?: (line: string) => void;
}

function serializable(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta ?? {})) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}

/** A Temporal `Logger` writing structured lines. */
export class StructuredLogger implements Logger {
  private readonly write: (line: string) => void;

  constructor(private readonly options: StructuredLoggerOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (ORDER[level] < ORDER[this.options.level]) return;
    const fields = serializable(meta);
    let line: string;
    if (this.options.format === 'json') {
      // The line's own keys come last: metadata named `message` or `level` cannot replace them.
      line = JSON.stringify({
        ...fields,
        time: new Date().toISOString(),
        level: level.toLowerCase(),
        message,
      });
    } else {
      const context = ['workflowId', 'runId', 'stepId', 'activityType']
        .filter((k) => fields[k] !== undefined)
        .map((k) => `${k}=${String(fields[k])}`)
        .join(' ');
      line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}${context ? ` (${context})` : ''}`;
    }
    this.write(this.options.redact(line));
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
