/**
 * The worker thread of `PendingPlans` (`BlockingWorker`'s protocol): as soon as the objects of the
 * chart folders arrive (one JSON text), takes folders from the counter it shares with the main
 * thread and computes their traffic plans; replies when asked (`null`) with those plans, or with the
 * error that stopped them.
 */
import { parentPort, workerData } from 'worker_threads';
import { ChartPlan, takePlans } from './traffic-plans';

let reply: { ok: boolean; value?: ChartPlan[]; error?: { message: string; code?: string } } = { ok: true, value: [] };
parentPort!.on('message', (message: string | null) => {
  if (message !== null) {
    try {
      reply = { ok: true, value: takePlans(JSON.parse(message), new Int32Array(workerData.next)) };
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
