// The one bounded pool: at most `limit` items in work at once, results yielded in completion
// order (bulk NDJSON) or collected in input order (allInOrder). Stops taking new items
// once the signal fires; the items already started finish (their own signal cancels them).

export async function* boundedPool<I, O>(
  items: AsyncIterable<I> | Iterable<I>, limit: number, work: (item: I, index: number) => Promise<O>, signal?: AbortSignal,
): AsyncGenerator<O> {
  const inflight = new Map<number, Promise<{ key: number; out: O }>>();
  let next = 0;
  const max = Math.max(1, limit);
  for await (const item of items) {
    if (signal?.aborted) break;
    const key = next++;
    inflight.set(key, work(item, key).then((out) => ({ key, out })));
    if (inflight.size >= max) {
      const done = await Promise.race(inflight.values());
      inflight.delete(done.key);
      yield done.out;
    }
  }
  while (inflight.size) {
    const done = await Promise.race(inflight.values());
    inflight.delete(done.key);
    yield done.out;
  }
}

/** Every item's result, in the order of `items`, at most `limit` at once. */
export async function allInOrder<I, O>(items: readonly I[], limit: number, work: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length);
  for await (const [i, o] of boundedPool(items, limit, async (item, i) => [i, await work(item, i)] as const)) out[i] = o;
  return out;
}
