interface Entry<V> {
  value: Promise<V>;
  loadedAt: number;
  /** Set once the load succeeded and its value is kept. */
  settled?: { value: V };
  /** A background reload of this expired entry is under way. */
  reloading?: boolean;
}

export interface ExpiringCacheOptions<V> {
  ttlMs: number;
  /** Past this many entries the oldest goes. */
  maxEntries?: number;
  /** Values failing this are answered but not kept (e.g. "not found"). Failed loads are never kept. */
  keep?: (value: V) => boolean;
  /**
   * Answer an expired value at once while a fresh one loads in the background, so callers only ever wait for an
   * entry's first load (a value is then at most ttlMs plus one load old). For data whose changes in this process
   * invalidate the entry anyway.
   */
  serveStaleWhileReloading?: boolean;
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
    if (cached?.settled && this.options.serveStaleWhileReloading) {
      if (!cached.reloading) this.reloadInBackground(key, cached, load);
      return Promise.resolve(cached.settled.value);
    }
    return this.startLoad(key, load);
  }

  /** The fresh value replaces the stale entry only once it has loaded; a failed reload keeps the stale one. */
  private reloadInBackground(key: string, stale: Entry<V>, load: () => Promise<V>): void {
    stale.reloading = true;
    void load().then(
      (value) => {
        if (this.entries.get(key) !== stale) return;
        if (this.options.keep && !this.options.keep(value)) this.entries.delete(key);
        else
          this.entries.set(key, { value: Promise.resolve(value), loadedAt: Date.now(), settled: { value } });
      },
      () => {
        stale.reloading = false;
      },
    );
  }

  private startLoad(key: string, load: () => Promise<V>): Promise<V> {
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
