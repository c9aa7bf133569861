/**
 * A map whose entries expire at a time given per entry, bounded in size: when full, it is emptied
 * (the entries are cheap to make again; a steady set of users never fills it).
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(private readonly maxEntries: number) {}

  /** The value, unless absent or expired at `now` (ms since the epoch). */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keep `value` until `until` (ms since the epoch); nothing is kept when that is not in the future. */
  set(key: string, value: V, until: number, now: number): void {
    if (until <= now) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { value, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
