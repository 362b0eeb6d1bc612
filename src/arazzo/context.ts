/**
 * What a runtime expression can see while a step is evaluated. Plain JSON, built by the
 * interpreter from the run state and the last HTTP exchange.
 */
import type { JsonObject, JsonValue } from './model.js';

/** An HTTP request as the expressions `$request.*`, `$url` and `$method` see it. */
export interface RequestView {
  url: string;
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string>;
  path: Record<string, string>;
  body?: JsonValue;
}

/** An HTTP response as `$statusCode` and `$response.*` see it. */
export interface ResponseView {
  statusCode: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the response was JSON, else the text; absent when there was no body. */
  body?: JsonValue;
}

/** An AsyncAPI message a receive step got (Arazzo 1.1.0), as `$message.header.*` and `$message.payload` see it. */
export interface MessageView {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  payload?: JsonValue;
}

export interface ExpressionContext {
  inputs: JsonObject;
  /** The current workflow's outputs computed so far (`$outputs.<name>`). */
  outputs?: JsonObject;
  /** `$steps.<stepId>.outputs.<name>`: outputs of steps that have run. */
  steps: Record<string, { outputs: JsonObject }>;
  /** `$workflows.<workflowId>.inputs|outputs.<name>`. */
  workflows?: Record<string, { inputs?: JsonObject; outputs?: JsonObject }>;
  /** `$sourceDescriptions.<name>.url` and `.<operationId|workflowId>` (value: the name itself). */
  sourceDescriptions?: Record<string, { url: string; names: string[] }>;
  /** `$self` (Arazzo 1.1.0): the document's `$self` field, when it has one. */
  self?: string;
  /** `$components.<kind>.<name>`. */
  components?: JsonObject;
  request?: RequestView;
  response?: ResponseView;
  /** The message of the receive step being judged. */
  message?: MessageView;
}
