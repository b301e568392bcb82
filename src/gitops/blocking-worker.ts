import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, WorkerOptions } from 'worker_threads';

/**
 * Wraps every worker script, so that a thread that fails where the script cannot answer (its file
 * does not load, an error escapes it, it ends without a reply) still replies with that error and
 * wakes the main thread. Only a thread that runs out of memory cannot answer (`finish` has a
 * timeout for it).
 */
const GUARD_START = `
const { workerData: guardData } = require('worker_threads');
const guardDone = new Int32Array(guardData.done);
const guardFail = (error) => {
  if (Atomics.load(guardDone, 0) !== 0) {
    return;
  }
  guardData.port.postMessage({ ok: false, error: { message: String((error && error.message) || error), code: error && error.code } });
  Atomics.store(guardDone, 0, 1);
  Atomics.notify(guardDone, 0);
};
process.on('uncaughtException', guardFail);
process.on('exit', () => guardFail(new Error('a worker thread of the synthesis ended without a reply')));
try {`;
const GUARD_END = `} catch (error) {
  guardFail(error);
}`;

/**
 * A worker thread that the main thread hands work to and later waits for without the event loop:
 * `App.synth()` is synchronous, so the wait is `Atomics.wait` on a shared flag and the reply is
 * read with `receiveMessageOnPort`.
 *
 * The protocol, which every worker script follows: it receives messages on `parentPort` and starts
 * on them at once; `null` means the main thread is waiting. It then posts one reply, `{ ok: true, value }` or
 * `{ ok: false, error: { message, code } }`, on `workerData.port`, stores 1 in
 * `new Int32Array(workerData.done)[0]` and notifies it.
 */
export class BlockingWorker {
  /**
   * Starts a worker running `script` (a file, or JavaScript source with `eval`) inside the guard
   * that makes every failure a reply, or returns
   * undefined when there is no second core to run it on or it cannot be started: the caller then
   * does the work itself.
   */
  public static start(script: string, options: { eval?: boolean; workerData?: Record<string, unknown> } = {}): BlockingWorker | undefined {
    if (os.cpus().length < 2) {
      return undefined;
    }
    const done = new SharedArrayBuffer(4);
    const channel = new MessageChannel();
    const workerOptions: WorkerOptions = {
      eval: true,
      workerData: { ...options.workerData, done, port: channel.port2 },
      transferList: [channel.port2],
    };
    const body = options.eval ? script : `require(${JSON.stringify(script)});`;
    try {
      const worker = new Worker(`${GUARD_START}\n${body}\n${GUARD_END}`, workerOptions);
      // never keeps the process alive: a synthesis always waits for it or stops it
      worker.unref();
      return new BlockingWorker(worker, new Int32Array(done), channel.port1);
    } catch {
      channel.port1.close();
      return undefined;
    }
  }

  private settled = false;

  private constructor(private readonly worker: Worker, private readonly done: Int32Array, private readonly replies: MessagePort) {}

  /** Hands the worker one message. */
  public post(message: unknown): void {
    this.worker.postMessage(message);
  }

  /**
   * Tells the worker that nothing more comes, waits for its reply and returns its value; throws its
   * error. A thread that has not answered after `timeoutMs` is stopped and the error has the code
   * `ETIMEDOUT`: only a thread that ran out of memory cannot answer, and the caller can then do the
   * work itself instead of waiting forever.
   */
  public finish(timeoutMs: number = Infinity): any {
    if (this.settled) {
      throw new Error('internal error: a worker thread was waited for twice');
    }
    this.worker.postMessage(null);
    if (Atomics.wait(this.done, 0, 0, timeoutMs) === 'timed-out') {
      this.stop();
      const waited = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
      const error: any = new Error(`a worker thread of the synthesis did not answer within ${waited}`);
      error.code = 'ETIMEDOUT';
      throw error;
    }
    this.settled = true;
    const reply = receiveMessageOnPort(this.replies)?.message;
    this.replies.close();
    if (!reply?.ok) {
      const error: any = new Error(reply?.error?.message ?? 'a worker thread of the synthesis stopped without a reply');
      error.code = reply?.error?.code;
      throw error;
    }
    return reply.value;
  }

  /** Stops the worker without waiting for its work (the synthesis failed before it was needed). */
  public stop(): void {
    if (!this.settled) {
      this.settled = true;
      this.replies.close();
      void this.worker.terminate();
    }
  }
}
