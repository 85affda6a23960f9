// A worker thread of `netcensus import` (started by import-pool.ts): turns the documents' bytes it
// is sent into prepared records (prepare-document.ts) and sends them back, in the order received.
// It touches nothing else: no files, no database, no clock.
import { parentPort } from 'node:worker_threads';
import { prepareDocumentSafely, type DocumentKind, type PreparedOutcome } from './prepare-document.js';

/** What the pool sends: a batch of documents, as bytes (UTF-8) or text. */
export interface PrepareRequest {
  id: number;
  kind: DocumentKind;
  documents: (Uint8Array | string)[];
}

export interface PrepareReply {
  id: number;
  outcomes: PreparedOutcome[];
}

if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (request: PrepareRequest) => {
    const transfer: ArrayBuffer[] = [];
    const outcomes = request.documents.map((d) => {
      const outcome = prepareDocumentSafely(typeof d === 'string' ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('utf8'), request.kind);
      if (outcome.ok && typeof outcome.factsJson === 'string') {
        // As UTF-8 bytes in a buffer of their own, moved to the writer rather than copied.
        const bytes = new TextEncoder().encode(outcome.factsJson);
        transfer.push(bytes.buffer);
        outcome.factsJson = bytes;
      }
      return outcome;
    });
    port.postMessage({ id: request.id, outcomes } satisfies PrepareReply, transfer);
  });
}
