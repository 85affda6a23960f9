// The scan pipeline: one sweep over the whole range, and each live host handed to interrogation the
// moment it is found (a stream, not phase barriers). Results come out in completion order.
import pLimit from 'p-limit';
import type { Observation } from '../model/index.js';
import { isAlive, type Discoverer, type Interrogator, type ScanContext } from './scanner.js';

export interface HostResult {
  address: string;
  observations: Observation[];
}

export type PipelineEvent =
  | { type: 'probed'; address: string; alive: boolean }
  | { type: 'interrogated'; address: string };

export interface PipelineOptions {
  discoverer: Discoverer;
  interrogators: Interrogator[];
  /** Live hosts interrogated at once. */
  interrogateConcurrency: number;
  ctx: ScanContext;
  onEvent?: (event: PipelineEvent) => void;
}

export async function* runPipeline(
  addresses: Iterable<string> | AsyncIterable<string>,
  options: PipelineOptions,
): AsyncGenerator<HostResult> {
  const queue = new ResultQueue<HostResult>();
  const limit = pLimit(options.interrogateConcurrency);
  const { ctx, onEvent } = options;

  const interrogate = async (discovery: Observation): Promise<HostResult> => {
    const host = { address: discovery.address, discovery };
    const observations = [discovery];
    for (const interrogator of options.interrogators) {
      if (ctx.signal.aborted) break;
      observations.push(await safeScan(interrogator, host, ctx));
    }
    onEvent?.({ type: 'interrogated', address: discovery.address });
    return { address: discovery.address, observations };
  };

  const produce = async (): Promise<void> => {
    const pending: Promise<void>[] = [];
    for await (const observation of options.discoverer.sweep(addresses, ctx)) {
      const alive = isAlive(observation);
      onEvent?.({ type: 'probed', address: observation.address, alive });
      if (!alive) continue;
      pending.push(limit(() => interrogate(observation)).then((r) => queue.push(r)));
    }
    await Promise.all(pending);
  };

  produce().then(
    () => queue.close(),
    (error: unknown) => queue.fail(error),
  );
  yield* queue;
}

/** An interrogator that throws has a bug; record it as `error` for that host and go on. */
async function safeScan(interrogator: Interrogator, host: { address: string; discovery: Observation }, ctx: ScanContext): Promise<Observation> {
  try {
    return await interrogator.scan(host, ctx);
  } catch (error) {
    return {
      scanner: interrogator.name,
      address: host.address,
      at: ctx.now().toISOString(),
      status: 'error',
      facts: {},
      detail: (error as Error).message?.slice(0, 200) ?? 'error',
    };
  }
}

/** A minimal single-consumer async queue. */
class ResultQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((step: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private closed = false;
  private error: unknown = null;

  push(item: T): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  close(): void {
    this.closed = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    this.error = error ?? new Error('pipeline failed');
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = null;
      reject(this.error);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.error) return Promise.reject(this.error);
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
    };
  }
}
