/**
 * The Arazzo 1.0.x object model, as plain JSON types.
 *
 * These types describe a document after YAML/JSON parsing. Nothing here does I/O, so the module
 * can be imported by Temporal workflow code. `x-` extensions are allowed on every object.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Extensions (`x-...`) may appear on every object. */
export interface Extensible {
  [extension: `x-${string}`]: unknown;
}

export interface ArazzoDocument extends Extensible {
  arazzo: string;
  /** Arazzo 1.1.0: the document's self-assigned URI (no fragment). */
  $self?: string;
  info: Info;
  sourceDescriptions: SourceDescription[];
  workflows: Workflow[];
  components?: Components;
}

export interface Info extends Extensible {
  title: string;
  summary?: string;
  description?: string;
  version: string;
}

export interface SourceDescription extends Extensible {
  name: string;
  url: string;
  type?: 'openapi' | 'arazzo' | 'asyncapi';
}

export interface Workflow extends Extensible {
  workflowId: string;
  summary?: string;
  description?: string;
  inputs?: JsonObject;
  dependsOn?: string[];
  steps: Step[];
  successActions?: Array<SuccessAction | ReusableObject>;
  failureActions?: Array<FailureAction | ReusableObject>;
  outputs?: Record<string, string>;
  parameters?: Array<Parameter | ReusableObject>;
}

export interface Step extends Extensible {
  stepId: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  parameters?: Array<Parameter | ReusableObject>;
  requestBody?: RequestBody;
  successCriteria?: Criterion[];
  onSuccess?: Array<SuccessAction | ReusableObject>;
  onFailure?: Array<FailureAction | ReusableObject>;
  outputs?: Record<string, string>;
  /** Arazzo 1.1.0, AsyncAPI steps: `receive` waits for a message, `send` publishes one (not run here). */
  action?: 'send' | 'receive';
  /** Arazzo 1.1.0: the value that ties a received message to this run (a runtime expression or a literal). */
  correlationId?: JsonValue;
  /** Arazzo 1.1.0: how long the step may take, in milliseconds; a receive step that times out fails. */
  timeout?: number;
  /** Arazzo 1.1.0: an AsyncAPI channel, `{$sourceDescriptions.<name>.url}#/channels/<channel>`. */
  channelPath?: string;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter extends Extensible {
  name: string;
  in?: ParameterLocation;
  value: JsonValue;
}

export interface ReusableObject extends Extensible {
  reference: string;
  value?: JsonValue;
}

export interface RequestBody extends Extensible {
  contentType?: string;
  payload?: JsonValue;
  replacements?: PayloadReplacement[];
}

export interface PayloadReplacement extends Extensible {
  target: string;
  value: JsonValue;
}

export type CriterionType = 'simple' | 'regex' | 'jsonpath' | 'xpath';

export interface CriterionExpressionType extends Extensible {
  type: 'jsonpath' | 'xpath';
  version: string;
}

export interface Criterion extends Extensible {
  condition: string;
  context?: string;
  type?: CriterionType | CriterionExpressionType;
}

export interface SuccessAction extends Extensible {
  name: string;
  type: 'end' | 'goto';
  workflowId?: string;
  stepId?: string;
  criteria?: Criterion[];
}

export interface FailureAction extends Extensible {
  name: string;
  type: 'end' | 'goto' | 'retry';
  workflowId?: string;
  stepId?: string;
  retryAfter?: number;
  retryLimit?: number;
  criteria?: Criterion[];
}

export interface Components extends Extensible {
  inputs?: Record<string, JsonObject>;
  parameters?: Record<string, Parameter>;
  successActions?: Record<string, SuccessAction>;
  failureActions?: Record<string, FailureAction>;
}

/** True when `value` is a reusable object (`{reference: ...}`) rather than an inline definition. */
export function isReusable(value: unknown): value is ReusableObject {
  return typeof value === 'object' && value !== null && 'reference' in value;
}
