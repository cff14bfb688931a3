import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  afterEach(() => jest.useRealTimers());

  it('shares one load between callers, keeps it for the TTL, then loads again', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new ExpiringCache<number>({ ttlMs: 1_000 });
    const load = jest.fn().mockResolvedValue(1);
    await Promise.all([cache.get('a', load), cache.get('a', load)]);
    jest.setSystemTime(999);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(1);
    jest.setSystemTime(1_000);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps neither failed loads nor values `keep` refuses', async () => {
    const cache = new ExpiringCache<number | null>({ ttlMs: 1_000, keep: (value) => value !== null });
    const load = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(null);
    await expect(cache.get('a', load)).rejects.toThrow('down');
    await cache.get('a', load);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('drops the oldest entry past maxEntries', async () => {
    const cache = new ExpiringCache<string>({ ttlMs: 1_000, maxEntries: 2 });
    const load = jest.fn((key: string) => Promise.resolve(key));
    for (const key of ['a', 'b', 'c', 'a']) await cache.get(key, () => load(key));
    expect(load.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('deleteWhere sees settled values, and undefined for loads in flight', async () => {
    const cache = new ExpiringCache<string>({ ttlMs: 1_000 });
    await cache.get('settled', () => Promise.resolve('old'));
    const inFlight = cache.get('loading', () => new Promise<string>((resolve) => setImmediate(resolve, 'x')));
    const seen: Array<[string, string | undefined]> = [];
    cache.deleteWhere((key, value) => {
      seen.push([key, value]);
      return true;
    });
    expect(seen).toEqual([
      ['settled', 'old'],
      ['loading', undefined],
    ]);
    await inFlight;
    await expect(cache.get('loading', () => Promise.resolve('new'))).resolves.toBe('new');
  });

  it('serves an expired value at once while it reloads in the background, when asked to', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new ExpiringCache<number>({ ttlMs: 1_000, serveStaleWhileReloading: true });
    let release: (value: number) => void = () => undefined;
    const load = jest
      .fn<Promise<number>, []>()
      .mockResolvedValueOnce(1)
      .mockReturnValueOnce(new Promise((resolve) => (release = resolve)));
    expect(await cache.get('a', load)).toBe(1);
    jest.setSystemTime(1_500);
    expect(await cache.get('a', load)).toBe(1);
    expect(await cache.get('a', load)).toBe(1);
    expect(load).toHaveBeenCalledTimes(2);
    release(2);
    await Promise.resolve();
    expect(await cache.get('a', load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
