/** One fired fault, as GET /kumo/faults/history shows it. */
export interface FaultEvent {
  seq: number;
  /** Engine-clock time the fault fired (ISO 8601). */
  time: string;
  rule: string;
  requestId: string;
  service: string;
  operation: string;
  account: string;
  region: string;
  action: 'error' | 'delay' | 'reset' | 'truncate';
  /** For `error`: the injected code and the status it was raised with. */
  code?: string;
  status?: number;
  delayMs?: number;
}

/** The last `capacity` fired faults, oldest first; older ones are dropped. */
export class FaultHistory {
  private readonly ring: FaultEvent[] = [];
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity = 1000) {}

  add(event: Omit<FaultEvent, 'seq'>): FaultEvent {
    const full = { seq: ++this.seq, ...event };
    if (this.ring.length < this.capacity) this.ring.push(full);
    else this.ring[this.next] = full;
    this.next = (this.next + 1) % this.capacity;
    return full;
  }

  list(): FaultEvent[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }
}
