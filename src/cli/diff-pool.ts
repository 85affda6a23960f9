// The second thread of a large `netcensus diff --json`: a worker (diff-worker.ts) reads, diffs and
// stringifies ranges of asset ids on its own read-only connection while the main thread does the
// same with other ranges. It sends its changes a batch at a time (ChangeBatch, diff-part.ts), which
// the main thread takes in between its own ranges and at the end; pairing and sorting then run over
// all the changes on the main thread.
//
// The asset ids are cut into more ranges than threads (RANGES), and each thread takes the next range
// left (one shared counter, Atomics): which thread is slower (the worker starts later; the newest
// assets, all added, cost more each) is evened out as they go, without guessing where a half ends.
//
// A worker that stops before it took a range (it could not start: a missing chunk, no memory for a
// thread) changes nothing: the main thread takes every range. One that stops after, whatever the
// reason, fails the command with that reason: its ranges are lost, and a diff without them would
// be wrong. The main thread learns of it when it has done its ranges and waits for the worker's
// last batches; it never waits on a thread that is gone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError } from '../model/index.js';
import type { AssetIdSpan, PairOptions } from '../store/inventory-store.js';
import type { ChangeBatch, DiffPart } from './diff-part.js';

/** The built worker next to this module's chunk (dist/bundle/diff-worker.js). */
export const DIFF_WORKER_SCRIPT = new URL('./diff-worker.js', import.meta.url);

/** Ranges of asset ids a diff is cut into: 8 a thread, so that the last one taken is short. */
const RANGES = 16;

export type AssetIdRange = NonNullable<PairOptions['assetIds']>;

/** What the worker is started with (workerData). */
export interface DiffWorkerData {
  path: string;
  fromId: number;
  toId: number;
  ranges: AssetIdRange[];
  /** Int32Array: [0] the next range to take, [1] ranges the worker set out to take. */
  claims: SharedArrayBuffer;
  /** Where the worker sends its messages (DiffWorkerMessage), in order. */
  port: MessagePort;
}

/** What the worker sends: its changes a batch at a time, then done, or an error. */
export type DiffWorkerMessage = { batch: ChangeBatch } | { done: true } | { error: { name: string; message: string; code?: string } };
/**
 * The span of asset ids cut into ranges of equal width (ids are handed out one after another, so
 * about equal counts). The first and last are open-ended: together they cover every id.
 */
export function splitAssetIds(span: AssetIdSpan, parts = RANGES): AssetIdRange[] {
  const width = Math.ceil((span.highest - span.lowest + 1) / parts);
  const ranges: AssetIdRange[] = [];
  for (let from = span.lowest; from <= span.highest; from += width) {
    const to = from + width - 1;
    ranges.push({ ...(ranges.length > 0 ? { from } : {}), ...(to < span.highest ? { to } : {}) });
  }
  return ranges;
}

/** The ranges and which is next, shared by the threads of one diff. */
export class RangeClaims {
  readonly shared = new SharedArrayBuffer(8);

  constructor(readonly ranges: readonly AssetIdRange[]) {}

  /** The next range nobody took yet, for the main thread; null when all are taken. */
  next(): AssetIdRange | null {
    return takeRange(new Int32Array(this.shared), this.ranges, false);
  }

  /** Ranges the worker set out to take (it counts before it takes). */
  get takenByWorker(): number {
    return Atomics.load(new Int32Array(this.shared), 1);
  }
}

/**
 * Takes the next range. The worker counts the range it sets out to take before it takes it, so that
 * a worker that stopped with a count of 0 surely holds none.
 */
export function takeRange(claims: Int32Array, ranges: readonly AssetIdRange[], worker: boolean): AssetIdRange | null {
  if (worker) Atomics.add(claims, 1, 1);
  const i = Atomics.add(claims, 0, 1);
  return i < ranges.length ? ranges[i]! : null;
}

/** The worker thread of one diff. */
export class DiffWorker {
  private done = false;
  /** Why the thread stopped ('error' or 'exit'), once it did. */
  private stopped: string | null = null;
  private onStop: (() => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly claims: RangeClaims,
  ) {
    const stop = (why: string): void => {
      this.stopped ??= why;
      this.onStop?.();
    };
    worker.on('error', (error: Error) => stop(error.message));
    worker.on('exit', (code) => stop(`it exited with code ${code}`));
  }

  /**
   * Starts a worker on the ranges of `claims`, or null where none can start here: the built worker
   * is missing (running from the TypeScript sources) or the thread cannot be made.
   */
  static start(data: Pick<DiffWorkerData, 'path' | 'fromId' | 'toId'>, claims: RangeClaims, script: URL = DIFF_WORKER_SCRIPT): DiffWorker | null {
    if (script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return null;
    const { port1, port2 } = new MessageChannel();
    try {
      const workerData: DiffWorkerData = { ...data, ranges: [...claims.ranges], claims: claims.shared, port: port1 };
      return new DiffWorker(new Worker(script, { workerData, transferList: [port1] }), port2, claims);
    } catch {
      port1.close();
      port2.close();
      return null;
    }
  }

  /** Takes into `part` the batches the worker has sent so far, without waiting (between ranges). */
  takeBatches(part: DiffPart): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
      this.take(m.message as DiffWorkerMessage, part);
    }
  }

  /**
   * Waits for the rest of the worker's part and takes it into `part`. False if the worker never
   * took a range (it could not start): `part` is whole without it.
   */
  async finish(part: DiffPart): Promise<boolean> {
    try {
      this.takeBatches(part);
      if (this.done) return true;
      return await new Promise<boolean>((resolve, reject) => {
        const settle = (): void => {
          try {
            // Messages sent before the thread ended are still queued: take them first.
            this.takeBatches(part);
            if (this.done) resolve(true);
            else if (this.stopped === null) return;
            // Before it took a range, it was never part of this diff: the main thread did it all.
            else if (this.claims.takenByWorker === 0) resolve(false);
            else reject(new Error(`the diff's worker thread stopped before it finished its part: ${this.stopped}`));
          } catch (error) {
            reject(error as Error);
          }
          this.onStop = null;
        };
        this.onStop = settle;
        this.port.on('message', (m: DiffWorkerMessage) => {
          try {
            this.take(m, part);
          } catch (error) {
            reject(error as Error);
            return;
          }
          if (this.done) resolve(true);
        });
        settle();
      });
    } finally {
      this.port.close();
    }
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private take(m: DiffWorkerMessage, part: DiffPart): void {
    if (this.done) return;
    if ('batch' in m) part.addBatch(m.batch);
    else if ('done' in m) this.done = true;
    else throw rebuildError(m.error);
  }
}

/** The worker's error as the main thread's, of the same class where the top-level catch tells them apart. */
function rebuildError(e: { name: string; message: string; code?: string }): Error {
  if (e.name === 'StoreError') return new StoreError(e.message);
  const error = new Error(`the diff's worker thread failed: ${e.message}`);
  if (e.code !== undefined) (error as Error & { code?: string }).code = e.code;
  return error;
}
