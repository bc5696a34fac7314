// Per-isolate memory caches in front of D1 for the hottest reads (a widget polling page one, many
// users opening one location). Each entry says how old it may be; the clock is passed in.

export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; at: number; size: number }>();
  private bytes = 0;

  constructor(
    private readonly limits: { maxEntries: number; maxBytes: number },
    private readonly sizeOf: (value: V) => number = () => 1,
  ) {}

  /** The value if it is at most `maxAgeMs` old (refreshing its LRU position), else undefined. */
  get(key: string, now: number, maxAgeMs = Number.POSITIVE_INFINITY): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at > maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, now: number): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.limits.maxBytes) return;
    this.entries.set(key, { value, at: now, size });
    this.bytes += size;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.size;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
