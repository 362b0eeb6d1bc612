/**
 * Where commands write, and the few formats they share: aligned tables, durations, times and
 * JSON for scripts. Results go to `out`; progress, hints and errors to `err`.
 */
import type { Client } from '@temporalio/client';

/** A writable stream as commands see it; `process.stdout` fits. */
export interface Sink {
  write(text: string): unknown;
  /** True on a terminal: progress is then redrawn in place instead of printed line by line. */
  isTTY?: boolean;
  columns?: number;
}

/** What every command receives. */
export interface CliIo {
  out: Sink;
  err: Sink;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: `run` stops following and exits 130. */
  signal?: AbortSignal;
}

/** What commands that talk to Temporal receive. */
export interface CliContext extends CliIo {
  client: Client;
  /** How often `run` asks the workflow for its status; 1000 ms unless a test shortens it. */
  progressIntervalMs?: number;
}

/** Writes `value` as indented JSON and a newline. */
export function writeJson(sink: Sink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned columns separated by two spaces; the header row first. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** `45s`, `3m05s`, `2h03m`, `3d04h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** `2025-01-31 14:03:05Z`: UTC to the second, the same on every machine. */
export function formatTime(date: Date | string | undefined): string {
  if (date === undefined) return '-';
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return String(date);
  return `${d.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A JSON value on one line; strings without quotes. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '-';
  return JSON.stringify(value);
}

/** `key: value` lines, indented, for a run's outputs or inputs. */
export function formatFields(fields: Record<string, unknown>, indent = '  '): string {
  const keys = Object.keys(fields);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${indent}${`${k}:`.padEnd(width + 1)} ${formatValue(fields[k])}\n`).join('');
}
