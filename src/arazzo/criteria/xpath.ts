/**
 * `xpath` criteria (Arazzo 1.0.1 and 1.1.0, Criterion Object): the condition is an XPath
 * expression run against an XML context, and it passes when its effective boolean value is true
 * (1.1.0, "Expression Type Object": XPath 3.1 §19.1.2, 3.0 §2.4.3, 1.0 §4.2 Boolean Conversions).
 *
 * The context is XML text (a response body the HTTP activity kept as text, because its content
 * type is not JSON). It is parsed with @xmldom/xmldom and evaluated with fontoxpath, an XPath 3.1
 * engine: both are pure JavaScript with no Node built-ins, deterministic, and bundle into
 * Temporal's workflow sandbox (test/unit/workflow-bundle.test.ts). XPath 3.1 is a superset of
 * 2.0 and 3.0, so `xpath-30` and `xpath-20` run unchanged; `xpath-10` runs too, and the ordinary
 * 1.0 expressions (paths, predicates, comparisons, count(), contains(), boolean()) mean the same.
 * Backwards-compatible mode of XPath 2.0 (1.0's loose number/string rules) is not emulated.
 */
import { DOMParser } from '@xmldom/xmldom';
import fontoxpath from 'fontoxpath';
import type { JsonValue } from '../model.js';

export type XPathOutcome = { ok: true; value: boolean } | { ok: false; error: string };

/** Parses XML text; malformed XML is an error, never a half-built document. */
function parseXml(text: string): { ok: true; document: Document } | { ok: false; error: string } {
  const problems: string[] = [];
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') problems.push(String(message));
    },
  });
  try {
    const document = parser.parseFromString(text, 'text/xml') as unknown as Document;
    if (problems.length > 0)
      return { ok: false, error: `the xpath context is not well-formed XML: ${problems[0]}` };
    return { ok: true, document };
  } catch (error) {
    return { ok: false, error: `the xpath context is not well-formed XML: ${messageOf(error)}` };
  }
}

/** Runs an `xpath` condition against an XML context value. Never throws. */
export function evaluateXPath(condition: string, context: JsonValue): XPathOutcome {
  if (typeof context !== 'string')
    return {
      ok: false,
      error: `the xpath context must be XML text, not ${context === null ? 'null' : Array.isArray(context) ? 'an array' : typeof context}`,
    };
  const parsed = parseXml(context);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, value: fontoxpath.evaluateXPathToBoolean(condition, parsed.document) };
  } catch (error) {
    return { ok: false, error: `XPath "${condition}" failed: ${firstLine(messageOf(error))}` };
  }
}

/** A static error (syntax, unknown function) in an XPath expression, or undefined. */
export function xpathSyntaxError(condition: string): string | undefined {
  const empty = parseXml('<empty/>');
  if (!empty.ok) return undefined;
  try {
    fontoxpath.evaluateXPathToBoolean(condition, empty.document);
    return undefined;
  } catch (error) {
    const message = messageOf(error);
    // XPST: static errors (syntax, unknown names). Dynamic and type errors depend on the data.
    return /XPST\d{4}/.test(message) ? `invalid XPath "${condition}": ${firstLine(message)}` : undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const code = lines.find((l) => /^(Error: )?[A-Z]{4}\d{4}/.test(l));
  return (code ?? lines[0] ?? text).replace(/^Error: /, '');
}
