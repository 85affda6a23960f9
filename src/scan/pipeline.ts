// The scan pipeline: one sweep over the whole range, and each live host handed to interrogation the
// moment it is found (a stream, not phase barriers). Results come out in completion order.
import pLimit from 'p-limit';
import { AsyncQueue } from './async-queue.js';
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
  const queue = new AsyncQueue<HostResult>();
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
