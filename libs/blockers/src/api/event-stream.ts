/** Async iterators for subscriptions, whose `return()` takes effect at once. */

/**
 * A queue that turns pushed values into an async iterator, bounded so a slow client cannot grow it
 * forever (values beyond `limit` are dropped). `return()` unsubscribes at once, also while a `next()`
 * waits, which it ends.
 */
export function channel<T>(
  subscribe: (push: (value: T) => void) => () => void,
  limit = 1000,
): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;
  const unsubscribe = subscribe((value) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value, done: false });
    } else if (queue.length < limit) queue.push(value);
  });
  const finish = (): Promise<IteratorResult<T>> => {
    if (!done) {
      done = true;
      queue.length = 0;
      unsubscribe();
      const resolve = waiting;
      waiting = null;
      resolve?.({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve({ value: queue.shift()!, done: false })
        : done
          ? Promise.resolve({ value: undefined, done: true })
          : new Promise((resolve) => (waiting = resolve)),
    return: finish,
    throw: (error: unknown) =>
      finish().then(() => Promise.reject(error instanceof Error ? error : new Error(String(error)))),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * The values of `source` mapped by `map`, without those it maps to null. Unlike an async generator,
 * `return()` reaches the source at once even while a `next()` waits for it, so a subscription that a
 * client ends stops listening then, not when the next event happens to arrive.
 */
export function filterMap<T, R>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => Promise<R | null>,
): AsyncIterableIterator<R> {
  let closed = false;
  const close = async (): Promise<IteratorResult<R>> => {
    closed = true;
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next(): Promise<IteratorResult<R>> {
      while (!closed) {
        const item = await source.next();
        if (item.done) break;
        const mapped = await map(item.value);
        if (mapped !== null && !closed) return { value: mapped, done: false };
      }
      return { value: undefined, done: true };
    },
    return: close,
    throw: (error: unknown) =>
      close().then(() => Promise.reject(error instanceof Error ? error : new Error(String(error)))),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
