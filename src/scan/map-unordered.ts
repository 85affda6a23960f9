// Runs `fn` over a (possibly huge, lazily generated) source with at most `concurrency` calls in
// flight, yielding results in completion order. The source is pulled only as slots free up, so a
// /8 is never materialised.

export async function* mapUnordered<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  const iterator = Symbol.asyncIterator in source
    ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
    : toAsync((source as Iterable<T>)[Symbol.iterator]());
  const inFlight = new Map<number, Promise<{ key: number; value: R }>>();
  let nextKey = 0;
  let exhausted = false;

  const fill = async (): Promise<void> => {
    while (!exhausted && inFlight.size < concurrency && !signal?.aborted) {
      const step = await iterator.next();
      if (step.done) {
        exhausted = true;
        break;
      }
      const key = nextKey++;
      inFlight.set(
        key,
        fn(step.value).then((value) => ({ key, value })),
      );
    }
  };

  try {
    await fill();
    while (inFlight.size > 0) {
      const { key, value } = await Promise.race(inFlight.values());
      inFlight.delete(key);
      yield value;
      await fill();
    }
  } finally {
    await iterator.return?.();
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}
