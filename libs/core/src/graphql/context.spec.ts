import { LoaderRegistry } from './context';

describe('LoaderRegistry.value', () => {
  it('answers a promise until a batch has delivered the key, then the value itself', async () => {
    const registry = new LoaderRegistry();
    const batches: string[][] = [];
    const loader = registry.get<string, string>('upper', async (keys) => {
      batches.push([...keys]);
      return keys.map((k) => (k === 'bad' ? new Error('no') : k.toUpperCase()));
    });
    const first = registry.value(loader, 'a');
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toBe('A');
    expect(registry.value(loader, 'a')).toBe('A');
    await expect(registry.value(loader, 'bad')).rejects.toThrow('no');
    const again = registry.value(loader, 'bad');
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toThrow('no');
    expect(batches).toEqual([['a'], ['bad']]);
  });

  it('forgets delivered values with clearAll', async () => {
    const registry = new LoaderRegistry();
    let calls = 0;
    const loader = registry.get<string, number>('count', async (keys) => keys.map(() => ++calls));
    await loader.loadMany(['a']);
    expect(registry.value(loader, 'a')).toBe(1);
    registry.clearAll();
    await expect(registry.value(loader, 'a')).resolves.toBe(2);
  });
});
