/**
 * `regex` criteria: an ECMAScript regular expression tested against the context value.
 */
import type { JsonValue } from '../model.js';

export type RegexOutcome = { ok: true; value: boolean } | { ok: false; error: string };

/**
 * Compiles `pattern` (no flags, no delimiters), or returns the compile error message.
 * `RegExp` is a constructor, not code generation, so this is safe in the workflow sandbox.
 */
export function compileRegex(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern);
  } catch (error) {
    return `invalid regular expression /${pattern}/: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Tests the pattern against a scalar context value (numbers and booleans as their text). */
export function evaluateRegex(pattern: string, context: JsonValue): RegexOutcome {
  const regex = compileRegex(pattern);
  if (typeof regex === 'string') return { ok: false, error: regex };
  // 1.1.0: a null context makes the condition fail.
  if (context === null) return { ok: false, error: 'the regex context is null' };
  if (typeof context === 'object') {
    return {
      ok: false,
      error: `the regex context is ${Array.isArray(context) ? 'an array' : 'an object'}; point it at a single value`,
    };
  }
  return { ok: true, value: regex.test(String(context)) };
}
