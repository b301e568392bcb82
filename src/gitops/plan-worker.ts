/**
 * The worker thread of `PendingPlans` (`BlockingWorker`'s protocol): parses each batch of objects
 * as it arrives; once it knows which objects each chart folder holds, takes folders from the counter
 * it shares with the main thread and computes their traffic plans; replies when asked (`null`) with
 * those plans, or with the error that stopped them.
 */
import { parentPort, workerData } from 'worker_threads';
import { ChartPlan, PlanMessage, takePlans } from './traffic-plans';

const objects: any[] = [];
let reply: { ok: boolean; value?: ChartPlan[]; error?: { message: string; code?: string } } = { ok: true, value: [] };
parentPort!.on('message', (message: PlanMessage | null) => {
  if (message === null) {
    workerData.port.postMessage(reply);
    const done = new Int32Array(workerData.done);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    workerData.port.close();
    parentPort!.close();
    return;
  }
  try {
    if (typeof message === 'string') {
      for (const object of JSON.parse(message)) {
        objects.push(object);
      }
    } else {
      const charts = message.charts.map(([chart, indexes]): [string, any[]] => [chart, indexes.map((i) => objects[i])]);
      reply = { ok: true, value: takePlans(charts, new Int32Array(workerData.next)) };
    }
  } catch (e: any) {
    reply = { ok: false, error: { message: String(e?.message ?? e), code: e?.code } };
  }
});
