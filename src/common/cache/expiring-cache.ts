interface Entry<V> {
  value: Promise<V>;
  loadedAt: number;
  /** Set once the load succeeded and its value is kept. */
  settled?: { value: V };
}

export interface ExpiringCacheOptions<V> {
  ttlMs: number;
  /** Past this many entries the oldest goes. */
  maxEntries?: number;
  /** Values failing this are answered but not kept (e.g. "not found"). Failed loads are never kept. */
  keep?: (value: V) => boolean;
}

/**
 * A small in-process cache of async loads for hot-path reads that change rarely: a value is kept `ttlMs`, and
 * callers asking while it loads share the one load (no thundering herd when an entry expires). Each user says
 * what it trades and how its entries are invalidated.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly options: ExpiringCacheOptions<V>) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached && Date.now() - cached.loadedAt < this.options.ttlMs) return cached.value;
    const entry: Entry<V> = { value: load(), loadedAt: Date.now() };
    this.entries.delete(key);
    const oldest = this.entries.keys().next();
    if (this.entries.size >= (this.options.maxEntries ?? Infinity) && !oldest.done) {
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
    const drop = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    void entry.value.then((value) => {
      if (this.options.keep && !this.options.keep(value)) drop();
      else entry.settled = { value };
    }, drop);
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Drops the entries `matches` picks; it sees each entry's value, or undefined while the entry still loads (a
   * load in flight may have read the state being invalidated, so callers usually drop those too).
   */
  deleteWhere(matches: (key: string, value: V | undefined) => boolean): void {
    for (const [key, entry] of this.entries) {
      if (matches(key, entry.settled?.value)) this.entries.delete(key);
    }
  }
}
