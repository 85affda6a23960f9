// Worker-thread entry of the probe engine (see probe-engine.ts and probe-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { keepHeapSmall } from '../heap.js';
import { ProbeEngine, type EngineRequest, type ProbeEngineOptions } from './probe-engine.js';

// Starting this thread put the process's V8 flags back to their defaults (see ../heap.ts).
keepHeapSmall();

// Refused connects build Error objects by the thousand; nobody reads their stacks.
Error.stackTraceLimit = 0;
const port = parentPort!;
const engine = new ProbeEngine(workerData as ProbeEngineOptions, (event) => port.postMessage(event));
port.on('message', (request: EngineRequest) => {
  engine.handle(request);
  if (request.type === 'close') port.close();
});
engine.open().catch((error: unknown) => {
  throw error instanceof Error ? error : new Error(String(error));
});
