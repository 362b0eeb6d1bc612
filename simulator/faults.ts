/**
 * Fault injection: a scripted queue of exact faults for precise tests, else random faults drawn
 * from a seeded PRNG (global settings, overridden per connection). Deciding is pure bookkeeping;
 * the server carries the plan out.
 */
import { createPrng } from './prng.js';
import type { Prng } from './prng.js';
import { injectedReply, rateLimitedReply } from './problems.js';
import type { ErrorReply } from './problems.js';
import type { FaultConfig, FaultSettings, OperationId, ScriptedFault } from './types.js';

export interface FaultPlan {
  /** Wait this long before handling. */
  delayMs: number;
  /** Handle the request even if the client left during the delay (a slow server, not a slow network). */
  handleIfGone: boolean;
  /** Replace the answer; `before` skips handling, `after` handles first. */
  replace?: { action: { kind: 'reply'; reply: ErrorReply } | { kind: 'reset' }; when: 'before' | 'after' };
  /** For the request log, e.g. `status:503`. */
  label?: string;
}

const NO_FAULT: FaultPlan = { delayMs: 0, handleIfGone: false };
const DEFAULT_OPS: OperationId[] = ['createJob', 'getJob', 'cancelJob', 'listJobs', 'createAccessToken'];
const DEFAULT_ERROR_STATUSES = [500, 502, 503, 504];
const DEFAULT_SEED = 1;

export class FaultInjector {
  private prng: Prng = createPrng(DEFAULT_SEED);
  private seed = DEFAULT_SEED;
  private global: FaultConfig | undefined;
  private script: Array<ScriptedFault & { remaining: number }> = [];

  /** Applies settings; omitted parts are left as they are. Per-connection faults live with the connection. */
  configure(settings: Omit<FaultSettings, 'connections'>): void {
    if (settings.seed !== undefined) {
      this.seed = settings.seed;
      this.prng = createPrng(settings.seed);
    }
    if (settings.global !== undefined) this.global = settings.global ?? undefined;
    if (settings.script !== undefined) this.script = settings.script.map(queued);
  }

  /** Appends exact faults to the queue. */
  enqueue(faults: ScriptedFault[]): void {
    this.script.push(...faults.map(queued));
  }

  clear(): void {
    this.configure({ seed: DEFAULT_SEED, global: null, script: [] });
  }

  snapshot(): { seed: number; global: FaultConfig | null; script: ScriptedFault[] } {
    return {
      seed: this.seed,
      global: this.global ?? null,
      script: this.script.map(({ remaining, ...f }) => ({ ...f, count: remaining })),
    };
  }

  /** Decides the fault for one request. */
  decide(
    op: OperationId,
    connectionId: string | undefined,
    connectionFaults: FaultConfig | undefined,
  ): FaultPlan {
    const index = this.script.findIndex(
      (f) =>
        (f.op === undefined || f.op === op) &&
        (f.connectionId === undefined || f.connectionId === connectionId),
    );
    const scripted = this.script[index];
    if (scripted) {
      scripted.remaining -= 1;
      if (scripted.remaining <= 0) this.script.splice(index, 1);
      return planScripted(scripted);
    }
    const config: FaultConfig = { ...this.global, ...connectionFaults };
    if (!(config.ops ?? DEFAULT_OPS).includes(op)) return NO_FAULT;
    return this.planRandom(op, config);
  }

  // Draws happen in a fixed order and only for configured rates, so a seed replays exactly.
  private planRandom(op: OperationId, config: FaultConfig): FaultPlan {
    const hit = (rate: number | undefined): boolean => rate !== undefined && rate > 0 && this.prng() < rate;
    let delayMs = 0;
    const labels: string[] = [];
    if (config.latencyMs && hit(config.latencyRate ?? 1)) {
      delayMs = config.latencyMs;
      labels.push(`latency:${delayMs}`);
    }
    const withDelay = (plan: Omit<FaultPlan, 'delayMs' | 'handleIfGone'>, label: string): FaultPlan => ({
      delayMs,
      handleIfGone: false,
      ...plan,
      label: [...labels, label].join(','),
    });
    if (hit(config.resetRate))
      return withDelay({ replace: { action: { kind: 'reset' }, when: 'before' } }, 'reset');
    if (hit(config.rateLimitRate)) {
      const retryAfter = config.retryAfterSeconds === undefined ? 1 : config.retryAfterSeconds;
      return withDelay(
        { replace: { action: { kind: 'reply', reply: rateLimitedReply(retryAfter) }, when: 'before' } },
        'rateLimit',
      );
    }
    if (hit(config.errorRate)) {
      const statuses = config.errorStatuses?.length ? config.errorStatuses : DEFAULT_ERROR_STATUSES;
      const status = statuses[Math.floor(this.prng() * statuses.length)] ?? 500;
      return withDelay(
        { replace: { action: { kind: 'reply', reply: injectedReply(status) }, when: 'before' } },
        `status:${status}`,
      );
    }
    if (op === 'createJob' && hit(config.slowCreateRate)) {
      const ms = config.slowCreateMs ?? 3000;
      return { delayMs: delayMs + ms, handleIfGone: true, label: [...labels, `slow:${ms}`].join(',') };
    }
    return labels.length ? { delayMs, handleIfGone: false, label: labels.join(',') } : NO_FAULT;
  }
}

/** Connection ids are compared in lower case, as the store keeps them. */
function queued(fault: ScriptedFault): ScriptedFault & { remaining: number } {
  return {
    ...fault,
    ...(fault.connectionId === undefined ? {} : { connectionId: fault.connectionId.toLowerCase() }),
    remaining: fault.count ?? 1,
  };
}

function planScripted(fault: ScriptedFault): FaultPlan {
  switch (fault.fault) {
    case 'status':
      return {
        delayMs: 0,
        handleIfGone: false,
        replace: {
          action: { kind: 'reply', reply: injectedReply(fault.status, fault.retryAfterSeconds) },
          when: fault.when ?? 'before',
        },
        label: `status:${fault.status}${fault.when === 'after' ? ':after' : ''}`,
      };
    case 'reset':
      return {
        delayMs: 0,
        handleIfGone: false,
        replace: { action: { kind: 'reset' }, when: fault.when ?? 'before' },
        label: `reset${fault.when === 'after' ? ':after' : ''}`,
      };
    case 'rateLimit':
      return {
        delayMs: 0,
        handleIfGone: false,
        replace: {
          action: { kind: 'reply', reply: rateLimitedReply(fault.retryAfterSeconds) },
          when: 'before',
        },
        label: 'rateLimit',
      };
    case 'latency':
      return { delayMs: fault.ms, handleIfGone: false, label: `latency:${fault.ms}` };
    case 'slow':
      return { delayMs: fault.ms, handleIfGone: true, label: `slow:${fault.ms}` };
  }
}
