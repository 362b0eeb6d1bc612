/** The request log: a bounded list of what clients asked and got, without any secret. */
import type { RequestLogEntry } from './types.js';

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(
    private readonly capacity: number,
    private readonly onEntry?: (entry: RequestLogEntry) => void,
  ) {}

  /** Records an entry; the oldest entries go once the capacity is reached. */
  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.seq += 1;
    const full: RequestLogEntry = { seq: this.seq, ...entry };
    this.entries.push(full);
    // Trim in batches so a full log does not shift the array on every request.
    if (this.entries.length > this.capacity * 1.1) this.entries = this.entries.slice(-this.capacity);
    this.onEntry?.(full);
    return full;
  }

  /** Entries with `seq` greater than `afterSeq`, oldest first. */
  list(afterSeq = 0): RequestLogEntry[] {
    return afterSeq > 0 ? this.entries.filter((e) => e.seq > afterSeq) : [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
