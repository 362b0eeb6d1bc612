/**
 * Process measurements from /proc (Linux): CPU seconds (utime + stime of all threads), resident
 * memory, and a per-thread CPU breakdown by thread name, sampled on an interval.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let clockTicks: number | undefined;
/** Clock ticks per second, the unit of /proc CPU times. */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime in seconds from a /proc stat line (fields after the `(comm)` part). */
function cpuOfStatLine(line: string): { comm: string; cpuSeconds: number } {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  const comm = line.slice(open + 1, close);
  const fields = line.slice(close + 2).split(' ');
  // fields[0] is state (field 3); utime is field 14, stime field 15 → indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { comm, cpuSeconds: (utime + stime) / ticksPerSecond() };
}

export interface ProcSample {
  /** ms since the sampler started */
  t: number;
  cpuSeconds: number;
  rssMb: number;
}

export function readCpuSeconds(pid: number): number | undefined {
  try {
    return cpuOfStatLine(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuSeconds;
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM (peak resident set) in MB. */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds per thread, largest first: the main thread (tid = pid) as `main`, the busiest other
 * threads one by one (`name/tid`), the rest summed by name.
 */
export function threadCpu(
  pid: number,
  individual = 4,
): Array<{ thread: string; cpuSeconds: number; threads: number }> {
  const each: Array<{ tid: string; comm: string; cpuSeconds: number }> = [];
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tids) {
    try {
      const { comm, cpuSeconds } = cpuOfStatLine(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
      each.push({ tid, comm, cpuSeconds });
    } catch {
      // thread ended meanwhile
    }
  }
  each.sort((a, b) => b.cpuSeconds - a.cpuSeconds);
  const byName = new Map<string, { cpuSeconds: number; threads: number }>();
  let shown = 0;
  for (const t of each) {
    const single = t.tid === String(pid) || shown < individual;
    const name = t.tid === String(pid) ? 'main' : single ? `${t.comm}/${t.tid}` : `${t.comm} (others)`;
    if (single && t.tid !== String(pid)) shown++;
    const entry = byName.get(name) ?? { cpuSeconds: 0, threads: 0 };
    entry.cpuSeconds += t.cpuSeconds;
    entry.threads += 1;
    byName.set(name, entry);
  }
  return [...byName.entries()]
    .map(([thread, v]) => ({ thread, cpuSeconds: Math.round(v.cpuSeconds * 100) / 100, threads: v.threads }))
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}

/** Samples a process every `intervalMs` until stopped. */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private readonly cpuAtStart: number;

  constructor(
    readonly pid: number,
    intervalMs = 1000,
  ) {
    this.cpuAtStart = readCpuSeconds(pid) ?? 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): ProcSample | undefined {
    const cpu = readCpuSeconds(this.pid);
    const mem = readMemory(this.pid);
    if (cpu === undefined || mem === undefined) return undefined;
    const s = { t: Date.now() - this.startedAt, cpuSeconds: cpu - this.cpuAtStart, rssMb: mem.rssMb };
    this.samples.push(s);
    return s;
  }

  /** Stops sampling (after a last sample) and summarizes. */
  stop(): {
    cpuSeconds: number;
    peakRssMb: number;
    hwmMb?: number;
    wallSeconds: number;
    maxCpuPercent: number;
  } {
    this.sample();
    const hwm = readMemory(this.pid)?.hwmMb;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const last = this.samples[this.samples.length - 1];
    let maxCpuPercent = 0;
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      if (b.t - a.t >= 500)
        maxCpuPercent = Math.max(maxCpuPercent, ((b.cpuSeconds - a.cpuSeconds) / ((b.t - a.t) / 1000)) * 100);
    }
    return {
      cpuSeconds: last?.cpuSeconds ?? 0,
      peakRssMb: Math.max(0, ...this.samples.map((s) => s.rssMb)),
      ...(hwm !== undefined ? { hwmMb: hwm } : {}),
      wallSeconds: (last?.t ?? 0) / 1000,
      maxCpuPercent,
    };
  }
}

/** Busy and total CPU seconds of the whole machine (all cores) from /proc/stat. */
export function machineCpu(): { busySeconds: number; totalSeconds: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busySeconds: (total - idle) / ticksPerSecond(), totalSeconds: total / ticksPerSecond() };
}

/**
 * Waits (at most `maxMs`) until the machine is quiet: under `threshold` of all cores busy over a
 * 3 s window. Other users' processes on a shared machine otherwise land in the measurements.
 * Returns the busy fraction seen last and how long it waited.
 */
export async function waitForQuiet(
  maxMs: number,
  threshold = 0.25,
): Promise<{ waitedMs: number; busyFraction: number }> {
  const started = Date.now();
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 3000));
    const b = machineCpu();
    const busyFraction = (b.busySeconds - a.busySeconds) / Math.max(0.001, b.totalSeconds - a.totalSeconds);
    if (busyFraction < threshold || Date.now() - started >= maxMs) {
      return { waitedMs: Date.now() - started, busyFraction: Math.round(busyFraction * 100) / 100 };
    }
  }
}
