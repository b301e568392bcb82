/**
 * The worker thread of `PendingPlans` (`BlockingWorker`'s protocol): computes the traffic plans as
 * soon as the objects of each chart folder arrive (one JSON text), and replies when asked (`null`)
 * with the plans as `[path, content]` pairs, or with the error that stopped them.
 */
import { parentPort, workerData } from 'worker_threads';
import { chartPlans } from './traffic-plans';

let reply: { ok: boolean; value?: [string, string][]; error?: { message: string; code?: string } } = { ok: false, error: { message: 'no objects were sent' } };
parentPort!.on('message', (message: string | null) => {
  if (message !== null) {
    try {
      reply = { ok: true, value: [...chartPlans(JSON.parse(message))] };
    } catch (e: any) {
      reply = { ok: false, error: { message: String(e?.message ?? e), code: e?.code } };
    }
    return;
  }
  workerData.port.postMessage(reply);
  const done = new Int32Array(workerData.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  workerData.port.close();
  parentPort!.close();
});
