/**
 * Collects diagnostics for one document, turning JSON paths into source positions.
 */
import type { Diagnostic } from './diagnostic.js';
import { formatJsonPath } from './json-path.js';
import type { PathSegments } from './json-path.js';
import type { ParsedSource } from './parsed-source.js';

/** Where in the document a problem is, and which workflow and step it concerns. */
export interface ReportAt {
  segments: PathSegments;
  workflowId?: string;
  stepId?: string;
  /** Point at the key rather than the value (unknown or misplaced fields). */
  preferKey?: boolean;
}

/** Accumulates diagnostics against one parsed source. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: ParsedSource) {}

  error(code: string, message: string, at: ReportAt): void {
    this.add('error', code, message, at);
  }

  warning(code: string, message: string, at: ReportAt): void {
    this.add('warning', code, message, at);
  }

  add(severity: Diagnostic['severity'], code: string, message: string, at: ReportAt): void {
    const { line, column } = this.source.positionOf(at.segments, at.preferKey);
    const diagnostic: Diagnostic = {
      severity,
      code,
      message,
      file: this.source.file,
      line,
      column,
      path: formatJsonPath(at.segments),
    };
    if (at.workflowId !== undefined) diagnostic.workflowId = at.workflowId;
    if (at.stepId !== undefined) diagnostic.stepId = at.stepId;
    this.diagnostics.push(diagnostic);
  }
}
