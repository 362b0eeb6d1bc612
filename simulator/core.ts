/**
 * The simulator's state and settings in one place: the store, authentication, faults and the
 * request log. The HTTP server, the control API and in-process test accessors all act on it.
 */
import { Authenticator } from './auth.js';
import { FaultInjector } from './faults.js';
import { Notifier } from './notifications.js';
import { RequestLog } from './request-log.js';
import { SimulatorStore } from './store.js';
import type { ApiContext } from './public-api.js';
import type {
  ClockMode,
  FaultConfig,
  FaultSettings,
  ScriptedFault,
  SimulatorOptions,
  TimeSettings,
} from './types.js';

export interface FaultsSnapshot {
  seed: number;
  global: FaultConfig | null;
  connections: Record<string, FaultConfig>;
  script: ScriptedFault[];
}

export class SimulatorCore {
  readonly store: SimulatorStore;
  readonly auth: Authenticator;
  readonly faults = new FaultInjector();
  /** Job notifications to the workspace's webhooks (Airbyte's notification settings). */
  readonly notifier = new Notifier();
  readonly log: RequestLog;
  readonly api: ApiContext;

  constructor(private readonly options: SimulatorOptions) {
    this.store = new SimulatorStore({
      clock: options.clock ?? 'wall',
      defaultScenario: options.defaultScenario ?? {},
      firstJobId: options.firstJobId ?? 1,
    });
    this.auth = new Authenticator(options.auth, () => this.store.now());
    this.log = new RequestLog(options.maxLogEntries ?? 100_000, options.onRequest);
    this.api = {
      store: this.store,
      auth: this.auth,
      autoCreateConnections: options.autoCreateConnections ?? false,
      notFoundStatus: options.notFoundStatus ?? 404,
      cancelTerminalStatus: options.cancelTerminalStatus ?? 409,
      ...orderByBehaviour(options.airbyteVersion),
    };
    if (options.faults) this.faults.configure(options.faults);
  }

  /**
   * Applies fault settings. Per-connection faults need the connection to exist: an unknown one
   * throws before anything is applied, since silently ignoring it would hide a broken test.
   */
  setFaults(settings: FaultSettings): void {
    const perConnection = Object.entries(settings.connections ?? {});
    const unknown = perConnection.filter(([id]) => !this.store.connection(id)).map(([id]) => id);
    if (unknown.length) throw new Error(`Unknown connection(s) in fault settings: ${unknown.join(', ')}`);
    this.faults.configure(settings);
    for (const [connectionId, faults] of perConnection) this.store.setConnectionFaults(connectionId, faults);
  }

  scriptFaults(faults: ScriptedFault[]): void {
    this.faults.enqueue(faults);
  }

  faultsSnapshot(): FaultsSnapshot {
    const connections: Record<string, FaultConfig> = {};
    for (const c of this.store.listConnections()) if (c.faults) connections[c.connectionId] = c.faults;
    return { ...this.faults.snapshot(), connections };
  }

  time(): TimeSettings {
    return {
      clock: this.store.clock,
      offsetMs: this.store.timeOffsetMs,
      now: new Date(this.store.now()).toISOString(),
    };
  }

  /** Sets the default clock of new jobs and/or moves the simulator clock forward. */
  setTime(input: { clock?: ClockMode; advanceMs?: number }): TimeSettings {
    if (input.clock) this.store.clock = input.clock;
    if (input.advanceMs) this.store.advanceTime(input.advanceMs);
    return this.time();
  }

  /** Back to a fresh simulator: no connections, jobs, tokens, faults, log entries or time offset. */
  reset(): void {
    this.store.clear();
    this.auth.clear();
    this.faults.clear();
    this.log.clear();
    this.notifier.clear();
    if (this.options.faults) this.faults.configure(this.options.faults);
  }
}

/**
 * How `listJobs` answers an `orderBy` on the given Airbyte version: from 0.53.1 it parses (commit
 * 8bff2c60df "Fix jobs order by AGAIN"); 0.53.0 answers 400 (`Enums.toEnum` of a missing group);
 * 0.50.18–0.52.x fail with a 500 (`OrderByFieldEnum.valueOf("createdAt")`).
 */
export function orderByBehaviour(version: string | undefined): { orderByBroken?: 400 | 500 } {
  if (version === undefined) return {};
  const parts = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!parts) throw new Error(`airbyteVersion must look like 0.53.1, got "${version}"`);
  const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number];
  const n = major * 1_000_000 + minor * 1_000 + patch;
  if (n >= 53_001) return {};
  return n >= 53_000 ? { orderByBroken: 400 } : { orderByBroken: 500 };
}
