/**
 * The error hierarchy of the Arazzo core. Every error carries a stable `code` so callers (the
 * validator, workflow code turning errors into `ApplicationFailure`s) can branch on it without
 * matching message text. Nothing here imports Node built-ins: workflow code throws these too.
 */

/** Base class: a stable machine-readable `code` plus optional structured `details`. */
export class ArazzoError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ArazzoError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** A runtime expression (or JSON Pointer) that does not follow the grammar. */
export class ArazzoExpressionError extends ArazzoError {
  /** The expression text as written. */
  readonly expression: string;
  /** Zero-based index into `expression` where the problem was found. */
  readonly position: number;

  constructor(message: string, expression: string, position: number, details?: Record<string, unknown>) {
    super('ARAZZO_EXPRESSION', message, details);
    this.name = 'ArazzoExpressionError';
    this.expression = expression;
    this.position = position;
  }
}

/** A criterion condition (simple, or the JSONPath logical form) that does not parse. */
export class ArazzoConditionError extends ArazzoError {
  /** The condition text as written. */
  readonly condition: string;
  /** Zero-based index into `condition` where the problem was found. */
  readonly position: number;

  constructor(message: string, condition: string, position: number, details?: Record<string, unknown>) {
    super('ARAZZO_CONDITION', message, details);
    this.name = 'ArazzoConditionError';
    this.condition = condition;
    this.position = position;
  }
}

/** A request that cannot be built: a missing path parameter, a value that would alter the path, a header with CR/LF. */
export class ArazzoRequestError extends ArazzoError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ARAZZO_REQUEST', message, details);
    this.name = 'ArazzoRequestError';
  }
}
