/**
 * Worker-thread entry of the streaming pool: receives `{ id, job }`, answers `{ id, result }` (the
 * uint8 buffers transferred, not copied) or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { processBatch, type BatchJob } from './process-batch';

if (parentPort) {
  const port = parentPort;
  port.on('message', (message: { id: number; job: BatchJob }) => {
    processBatch(message.job).then(
      (result) => port.postMessage({ id: message.id, result }, [result.view1.buffer as ArrayBuffer, result.view2.buffer as ArrayBuffer]),
      (err: Error) => port.postMessage({ id: message.id, error: { name: err.name, message: err.message } }),
    );
  });
}
