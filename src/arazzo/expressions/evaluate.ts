/**
 * Evaluates runtime expressions against an {@link ExpressionContext}. Type-preserving: a number
 * stays a number. Missing data is a failed {@link Resolution} with a reason, never an exception.
 */
import type { ExpressionContext } from '../context.js';
import { getByPointer } from '../json-pointer.js';
import type { JsonValue } from '../model.js';
import type { ExpressionNode, NavigationStep, Selection } from './ast.js';
import { parseExpression } from './parse.js';
import { resolved, unresolved } from './resolution.js';
import type { Resolution } from './resolution.js';

/**
 * Evaluates one runtime expression.
 *
 * @param expr - expression text (parsed first) or an already parsed node.
 * @returns the referenced value, or `ok: false` with a reason such as
 *   `$steps.pollJob.outputs.status: step pollJob has not run`.
 * @throws ArazzoExpressionError only when `expr` is text that does not parse.
 */
export function evaluateExpression(expr: string | ExpressionNode, ctx: ExpressionContext): Resolution {
  const node = typeof expr === 'string' ? parseExpression(expr) : expr;
  const base = evaluateRoot(node, ctx);
  if (!base.ok) return unresolved(`${node.text}: ${base.reason}`);
  if (!('navigation' in node)) return base;
  const selected = applySelection(base.value, node);
  return selected.ok ? selected : unresolved(`${node.text}: ${selected.reason}`);
}

/** `$message` (Arazzo 1.1.0) exists only while a receive step's message is judged. */
const NO_MESSAGE = 'AsyncAPI messages ($message) exist only in a receive step, and none has arrived';

function evaluateRoot(node: ExpressionNode, ctx: ExpressionContext): Resolution {
  switch (node.type) {
    case 'url':
      return ctx.request ? resolved(ctx.request.url) : unresolved('no request has been sent yet');
    case 'method':
      return ctx.request ? resolved(ctx.request.method) : unresolved('no request has been sent yet');
    case 'self':
      // Arazzo 1.1.0, Runtime Expressions: "References the canonical URI of the current Arazzo Description as defined by the `$self` field."
      return ctx.self === undefined ? unresolved('the document has no $self field') : resolved(ctx.self);
    case 'statusCode':
      return ctx.response
        ? resolved(ctx.response.statusCode)
        : unresolved('no response has been received yet');
    case 'header': {
      if (node.source === 'message' && !ctx.message) return unresolved(NO_MESSAGE);
      const message =
        node.source === 'message' ? ctx.message : node.source === 'request' ? ctx.request : ctx.response;
      if (!message) return unresolved(`there is no ${node.source} yet`);
      const value = findHeader(message.headers, node.name);
      return value === undefined
        ? unresolved(`the ${node.source} has no header "${node.name}"`)
        : resolved(value);
    }
    case 'query':
    case 'path': {
      if (!ctx.request) return unresolved('no request has been sent yet');
      const value = ownValue(node.type === 'query' ? ctx.request.query : ctx.request.path, node.name);
      return value === undefined
        ? unresolved(`the request has no ${node.type} parameter "${node.name}"`)
        : resolved(value);
    }
    case 'body': {
      if (node.source === 'message') {
        if (!ctx.message) return unresolved(NO_MESSAGE);
        return ctx.message.payload === undefined
          ? unresolved('the message has no payload')
          : resolved(ctx.message.payload);
      }
      const message = node.source === 'request' ? ctx.request : ctx.response;
      if (!message) return unresolved(`there is no ${node.source} yet`);
      return message.body === undefined
        ? unresolved(`the ${node.source} has no body`)
        : resolved(message.body);
    }
    case 'inputs':
      return lookup(ctx.inputs, node.name, `no input "${node.name}" was supplied`);
    case 'outputs':
      return lookup(ctx.outputs, node.name, `no workflow output "${node.name}" has been computed`);
    case 'steps': {
      const step = ownValue(ctx.steps, node.stepId);
      if (step === undefined) return unresolved(`step ${node.stepId} has not run`);
      return lookup(step.outputs, node.name, `step ${node.stepId} has no output "${node.name}"`);
    }
    case 'workflows': {
      const workflow = ctx.workflows ? ownValue(ctx.workflows, node.workflowId) : undefined;
      if (workflow === undefined) return unresolved(`workflow ${node.workflowId} has not run`);
      return lookup(
        workflow[node.field],
        node.name,
        `workflow ${node.workflowId} has no ${node.field.slice(0, -1)} "${node.name}"`,
      );
    }
    case 'sourceDescriptions': {
      const source = ctx.sourceDescriptions ? ownValue(ctx.sourceDescriptions, node.sourceName) : undefined;
      if (source === undefined) return unresolved(`there is no source description "${node.sourceName}"`);
      // `url` is the source's own field; any other reference names an operation or workflow in it.
      if (node.reference === 'url') return resolved(source.url);
      return source.names.includes(node.reference)
        ? resolved(node.reference)
        : unresolved(
            `source description ${node.sourceName} has no operation or workflow "${node.reference}"`,
          );
    }
    case 'components': {
      const group = ctx.components ? ownValue(ctx.components, node.kind) : undefined;
      const holder = group !== null && typeof group === 'object' && !Array.isArray(group) ? group : undefined;
      return lookup(holder, node.name, `there is no component ${node.kind}.${node.name}`);
    }
  }
}

/** Applies the JSON Pointer (first) and then the lenient navigation steps. */
function applySelection(value: JsonValue, selection: Selection): Resolution {
  let current: Resolution = resolved(value);
  if (selection.pointer !== undefined) current = getByPointer(value, selection.pointer);
  for (const step of selection.navigation) {
    if (!current.ok) return current;
    current = navigate(current.value, step);
  }
  return current;
}

function navigate(value: JsonValue, step: NavigationStep): Resolution {
  const label = step.kind === 'index' ? `[${step.index}]` : `.${step.name}`;
  if (Array.isArray(value)) {
    const index =
      step.kind === 'index' ? step.index : /^(?:0|[1-9][0-9]*)$/.test(step.name) ? Number(step.name) : -1;
    if (index >= 0) {
      const item = value[index];
      return item === undefined
        ? unresolved(`${label} is out of range (the array has ${value.length} items)`)
        : resolved(item);
    }
    // Real documents write `$response.body.items.length > 0`; arrays have no other properties.
    if (step.kind === 'property' && step.name === 'length') return resolved(value.length);
    return unresolved(`cannot read ${label} from an array`);
  }
  if (value !== null && typeof value === 'object') {
    const key = step.kind === 'index' ? String(step.index) : step.name;
    const item = ownValue(value, key);
    return item === undefined ? unresolved(`no property "${key}" in the object`) : resolved(item);
  }
  if (typeof value === 'string' && step.kind === 'property' && step.name === 'length')
    return resolved(value.length);
  return unresolved(`cannot read ${label} from ${value === null ? 'null' : `a ${typeof value}`}`);
}

function lookup(holder: { [key: string]: JsonValue } | undefined, key: string, missing: string): Resolution {
  const value = holder ? ownValue(holder, key) : undefined;
  return value === undefined ? unresolved(missing) : resolved(value);
}

/** Own properties only: `constructor` or `__proto__` must not resolve to Object.prototype members. */
function ownValue<T>(holder: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(holder, key) ? holder[key] : undefined;
}

/** Header names are case-insensitive (RFC 9110 §5.1); the context lower-cases them, but be safe. */
function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const exact = ownValue(headers, name.toLowerCase());
  if (exact !== undefined) return exact;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
