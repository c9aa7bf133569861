import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  it('gives a value until its time, then forgets it', () => {
    const cache = new ExpiringCache<string>(10);
    cache.set('a', 'A', 1_000, 0);
    expect(cache.get('a', 999)).toBe('A');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing whose time has already come', () => {
    const cache = new ExpiringCache<string>(10);
    cache.set('a', 'A', 500, 500);
    expect(cache.get('a', 0)).toBeUndefined();
  });

  it('is emptied when full and a new key comes, not when a known key is set again', () => {
    const cache = new ExpiringCache<number>(2);
    cache.set('a', 1, 100, 0);
    cache.set('b', 2, 100, 0);
    cache.set('b', 3, 100, 0);
    expect([cache.get('a', 1), cache.get('b', 1)]).toEqual([1, 3]);
    cache.set('c', 4, 100, 0);
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)]).toEqual([undefined, undefined, 4]);
  });
});
