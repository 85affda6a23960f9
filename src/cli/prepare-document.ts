// One inventory document made ready to store: text -> validated document -> device record ->
// identified facts -> summary, with the facts serialised once, here. Pure (no I/O, no clock): it
// runs in the import's worker threads (import-worker.ts) for many documents, or in the main
// thread for a few, and gives the same result either way.
//
// What it returns is compact and already validated: the summary (what identity needs) and the
// facts as the JSON text that is stored, so the thread that writes never holds a document as
// objects and never serialises one again.
import { identify } from '../identify/index.js';
import { summarize } from '../inventory/summarize.js';
import type { DeviceSummary, ScanStatus } from '../model/index.js';
import { documentRecord, parseDocument } from '../scan/local/index.js';

export type DocumentKind = 'import' | 'local';

export interface PreparedDocument {
  ok: true;
  /** When the machine was probed (the document's collectedAt): the record's seen_at. */
  seenAt: string;
  address: string;
  addresses: string[];
  statuses: Record<string, ScanStatus>;
  summary: DeviceSummary;
  /**
   * The record's facts, identified, as stored (records.facts): JSON text, or its UTF-8 bytes when
   * a worker prepared it (moved between threads without a copy, and kept outside the JS heap
   * until the row is written: a batch of big documents then costs the writer no collections).
   */
  factsJson: string | Uint8Array;
  /** The name the machine gives itself, for the summary's list of imported machines. */
  hostname: string;
}

/** A document that does not validate: every problem as "path: message". */
export interface RejectedDocument {
  ok: false;
  issues: string[];
}

export type PreparedOutcome = PreparedDocument | RejectedDocument;

export function prepareDocument(text: string, kind: DocumentKind): PreparedOutcome {
  const parsed = parseDocument(text);
  if (!parsed.ok) return parsed;
  const record = documentRecord(parsed.document, kind);
  const facts = identify(record.facts);
  return {
    ok: true,
    seenAt: new Date(parsed.document.collectedAt).toISOString(),
    address: record.address,
    addresses: record.addresses,
    statuses: record.statuses,
    summary: summarize({ ...record, facts }),
    factsJson: JSON.stringify(facts),
    hostname: record.facts.hostnames?.[0]?.value ?? record.address,
  };
}

/**
 * prepareDocument, with a failure of our own (a bug met by an odd document) reported as that
 * document's problem rather than thrown: the caller names the file, and the other documents are
 * still imported.
 */
export function prepareDocumentSafely(text: string, kind: DocumentKind): PreparedOutcome {
  try {
    return prepareDocument(text, kind);
  } catch (error) {
    return { ok: false, issues: [`internal error while reading the document (please report it): ${(error as Error).message ?? String(error)}`] };
  }
}
