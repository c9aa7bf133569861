import { channel, filterMap } from './api/event-stream';
import { BlockerChange, BlockerEvents, InProcessEventTransport } from './blocker-events';
import { decodeChange, encodeChange, redactUrl } from './redis-event-transport';

const change = (blockerId: string, action = 'blocker.updated'): BlockerChange => ({
  blockerId,
  action,
  actorId: null,
  at: new Date('2026-11-29T09:30:00.000Z'),
});

async function started(): Promise<BlockerEvents> {
  const events = new BlockerEvents(new InProcessEventTransport());
  await events.onModuleInit();
  return events;
}

describe('BlockerEvents in process', () => {
  it('delivers each published change once to every subscriber until it unsubscribes', async () => {
    const events = await started();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = events.subscribe((c) => a.push(c.blockerId));
    events.subscribe((c) => b.push(c.blockerId));
    events.publish(change('1'));
    stopA();
    events.publish(change('2'));
    expect(a).toEqual(['1']);
    expect(b).toEqual(['1', '2']);
    await events.onApplicationShutdown();
    expect(events.listenerCount).toBe(0);
  });

  it('keeps delivering to the others when one listener throws', async () => {
    const events = await started();
    const got: string[] = [];
    events.subscribe(() => {
      throw new Error('broken listener');
    });
    events.subscribe((c) => got.push(c.blockerId));
    jest.spyOn(events['logger'], 'error').mockImplementation(() => undefined);
    events.publish(change('1'));
    expect(got).toEqual(['1']);
  });
});

describe('event streams', () => {
  it('ends a waiting next() and unsubscribes as soon as the client returns', async () => {
    const events = await started();
    const stream = filterMap(
      channel<BlockerChange>((push) => events.subscribe(push)),
      (c) => Promise.resolve(c.blockerId),
    );
    expect(events.listenerCount).toBe(1);
    const pending = stream.next();
    await stream.return!();
    expect(events.listenerCount).toBe(0);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    events.publish(change('late'));
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('skips what maps to null and keeps the order', async () => {
    const events = await started();
    const stream = filterMap(
      channel<BlockerChange>((push) => events.subscribe(push)),
      (c) => Promise.resolve(c.blockerId === 'hidden' ? null : c.blockerId),
    );
    events.publish(change('1'));
    events.publish(change('hidden'));
    events.publish(change('2'));
    expect((await stream.next()).value).toBe('1');
    expect((await stream.next()).value).toBe('2');
    await stream.return!();
  });

  it('drops what a slow consumer has not taken beyond the limit', async () => {
    const events = await started();
    const stream = channel<BlockerChange>((push) => events.subscribe(push), 2);
    for (const id of ['1', '2', '3']) events.publish(change(id));
    expect((await stream.next()).value?.blockerId).toBe('1');
    expect((await stream.next()).value?.blockerId).toBe('2');
    const third = stream.next();
    events.publish(change('4'));
    expect((await third).value?.blockerId).toBe('4');
    await stream.return!();
  });
});

describe('Redis wire format', () => {
  it('round-trips a change', () => {
    const c = { ...change('b1', 'blocker.transitioned'), actorId: 'u1' };
    expect(decodeChange(encodeChange(c))).toEqual(c);
  });

  it.each([
    'not json',
    'null',
    '{}',
    JSON.stringify({ v: 2, blockerId: 'b', action: 'a', actorId: null, at: '2026-11-29T09:30:00.000Z' }),
    JSON.stringify({ v: 1, blockerId: 1, action: 'a', actorId: null, at: '2026-11-29T09:30:00.000Z' }),
    JSON.stringify({ v: 1, blockerId: 'b', action: 'a', actorId: null, at: 'yesterday' }),
  ])('ignores %s', (message) => {
    expect(decodeChange(message)).toBeNull();
  });

  it('hides the password of a Redis URL in logs', () => {
    expect(redactUrl('redis://user:secret@cache:6379/1')).toBe('redis://user:***@cache:6379/1');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
