/**
 * Drives the pure Arazzo state machine without Temporal: every `call` move is answered by a
 * scripted responder, sub-workflows run recursively. Records what a real run would send.
 */
import {
  afterCall,
  afterCallError,
  afterReceive,
  afterWorkflow,
  startRun,
  type Move,
  type ReceivedMessage,
  type ReceiveMove,
  type RunState,
  type StepResponse,
} from '../../src/arazzo/machine/index.js';
import type { JsonObject, JsonValue } from '../../src/arazzo/model.js';
import type { ExecutionPlan } from '../../src/arazzo/plan.js';
import { describeRequest, type HttpRequestSpec } from '../../src/arazzo/request/index.js';

export interface Exchange {
  stepId: string;
  request: string;
  body?: unknown;
  delaySeconds: number;
  reason: string;
}

export type Responder = (request: HttpRequestSpec, stepId: string) => StepResponse | Error;

/** Answers a receive move with a message, or undefined for its timeout. */
export type MessageSource = (move: ReceiveMove) => ReceivedMessage | undefined;

export interface DriveResult {
  outcome: Extract<Move, { type: 'end' } | { type: 'fail' }>;
  exchanges: Exchange[];
  state: RunState;
  workflowsRun: string[];
}

/** A JSON response. */
export function json(
  statusCode: number,
  body: JsonValue,
  headers: Record<string, string> = {},
): StepResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    url: 'http://api.test',
    method: 'GET',
  };
}

export function drive(
  plan: ExecutionPlan,
  inputs: JsonObject,
  respond: Responder,
  limit = 10_000,
  messages: MessageSource = () => undefined,
): DriveResult {
  const exchanges: Exchange[] = [];
  const workflowsRun: string[] = [];
  let { state, move } = startRun(plan, inputs);
  for (let i = 0; i < limit; i++) {
    if (move.type === 'end' || move.type === 'fail') return { outcome: move, exchanges, state, workflowsRun };
    if (move.type === 'call') {
      exchanges.push({
        stepId: move.stepId,
        request: describeRequest(move.request),
        ...(move.request.body ? { body: move.request.body.content } : {}),
        delaySeconds: move.delaySeconds,
        reason: move.reason,
      });
      const answer = respond(move.request, move.stepId);
      ({ state, move } =
        answer instanceof Error
          ? afterCallError(plan, state, answer.message)
          : afterCall(plan, state, answer, 0));
      continue;
    }
    if (move.type === 'receive') {
      const message = messages(move);
      exchanges.push({
        stepId: move.stepId,
        request: `RECEIVE ${move.correlationId} (${message ? 'message' : `timeout ${move.timeoutMs} ms`})`,
        delaySeconds: 0,
        reason: 'step',
      });
      ({ state, move } = afterReceive(plan, state, message, move.timeoutMs));
      continue;
    }
    workflowsRun.push(move.workflowId);
    const child = drive({ ...plan, workflowId: move.workflowId }, move.inputs, respond, limit, messages);
    exchanges.push(...child.exchanges);
    ({ state, move } = afterWorkflow(
      plan,
      state,
      child.outcome.type === 'end'
        ? { ok: true, outputs: child.outcome.outputs }
        : { ok: false, message: child.outcome.message },
    ));
  }
  throw new Error(`no end after ${limit} moves`);
}
