// The worker threads of `netcensus import`: each reads documents' bytes into prepared records
// (import-worker.ts, prepare-document.ts) while the main thread resolves identities and writes.
//
// A batch goes to the worker with the fewest documents waiting; its bytes are moved, not copied
// (the buffers that readFile returns own their memory). Replies come back in any order: the caller
// keeps its own order (run-import.ts handles batches first in, first out), so which worker was
// quicker never shows in the snapshot. The caller bounds how many batches are in flight.
//
// A worker that dies (a crash, out of memory) fails every batch it held, naming their files, and
// the pool with it: the import stops with that error and the snapshot is marked failed.
import { Worker } from 'node:worker_threads';
import type { PrepareReply, PrepareRequest } from './import-worker.js';
import type { DocumentKind, PreparedOutcome } from './prepare-document.js';

export interface PoolDocument {
  file: string | null;
  bytes: Buffer | string;
}

interface Pending {
  resolve: (outcomes: PreparedOutcome[]) => void;
  reject: (error: Error) => void;
  files: (string | null)[];
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Documents sent and not answered yet. */
  load: number;
}

const YOUNG_GENERATION_MB = 16;

/** The built worker next to this module (dist/cli/import-worker.js). */
export const IMPORT_WORKER_SCRIPT = new URL('./import-worker.js', import.meta.url);

export class DocumentPool {
  private readonly slots: Slot[];
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  constructor(
    size: number,
    private readonly kind: DocumentKind,
    script: URL = IMPORT_WORKER_SCRIPT,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => this.start(script));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Prepares a batch of documents in one worker; the outcomes are in the batch's order. */
  prepare(documents: readonly PoolDocument[]): Promise<PreparedOutcome[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.load < slot.load) slot = s;
    const id = this.nextId++;
    const payload: (Uint8Array | string)[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const d of documents) {
      payload.push(d.bytes);
      const b = d.bytes;
      // Move the buffer when it owns all of its memory (readFile's do); a slice of a shared pool is copied.
      if (typeof b !== 'string' && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer && !transfer.includes(b.buffer)) {
        transfer.push(b.buffer);
      }
    }
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, files: documents.map((d) => d.file) });
      slot.load += documents.length;
      slot.worker.postMessage({ id, kind: this.kind, documents: payload } satisfies PrepareRequest, transfer);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private start(script: URL): Slot {
    // A smaller young generation than V8's default (48 MB): a worker keeps little alive between
    // documents, so collections stay cheap, and each worker's memory stays small.
    const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const slot: Slot = { worker, pending: new Map(), load: 0 };
    worker.on('message', (reply: PrepareReply) => {
      const pending = slot.pending.get(reply.id);
      if (pending === undefined) return;
      slot.pending.delete(reply.id);
      slot.load -= pending.files.length;
      pending.resolve(reply.outcomes);
    });
    worker.on('error', (error: Error) => this.fail(slot, error.message));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(slot, `it exited with code ${code}`);
    });
    return slot;
  }

  private fail(slot: Slot, why: string): void {
    for (const pending of slot.pending.values()) {
      pending.reject(new Error(`an import worker stopped while reading ${describeFiles(pending.files)}: ${why}`));
    }
    slot.pending.clear();
    slot.load = 0;
    this.failure ??= new Error(`an import worker stopped: ${why}`);
  }
}

function describeFiles(files: readonly (string | null)[]): string {
  const named = files.map((f) => f ?? '(document)');
  if (named.length === 0) return 'nothing';
  return named.length === 1 ? named[0]! : `${named[0]} (and ${named.length - 1} other document${named.length === 2 ? '' : 's'})`;
}
