/**
 * Diagnostics: what validation reports, shaped like compiler messages so editors and CI logs can
 * jump to the offending line.
 */

/** One problem found in a document (or in run inputs). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable identifier, e.g. `arazzo/goto-target-missing`; tests and tooling match on it. */
  code: string;
  message: string;
  /** The file the problem is in (the Arazzo document, or an OpenAPI description it refers to). */
  file: string;
  /** 1-based; 0 when there is no source position (run inputs). */
  line: number;
  /** 1-based; 0 when there is no source position. */
  column: number;
  /** JSON path of the offending value, e.g. `$.workflows[0].steps[1].onSuccess[0].stepId`. */
  path: string;
  stepId?: string;
  workflowId?: string;
}

/** Formats a diagnostic like a compiler: `file:line:col: error [code] message (at $.path)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${where}: ${d.severity} [${d.code}] ${d.message} (at ${d.path})`;
}

/** True when at least one diagnostic is an error (warnings alone do not fail validation). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, so output is stable across runs. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code) ||
      a.path.localeCompare(b.path),
  );
}
