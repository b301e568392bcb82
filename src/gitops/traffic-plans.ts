import * as fs from 'fs';
import * as path from 'path';
import { BlockingWorker } from './blocking-worker';
import { PlacedObject } from './object-files';
import { TrafficPlan } from '../plan/traffic-plan';

/** The objects of one chart folder, in output order (the plan's input order decides ties). */
export type ChartManifests = [chart: string, manifests: any[]];

/** A computed plan: the index of its chart folder, its path and its content. */
export type ChartPlan = [index: number, file: string, content: string];

/**
 * The plans' cost in units of about one object's share (each chart's plan adds a fixed cost of about
 * three), from which a thread pays off: below it, starting the thread and copying the objects cost
 * more than the plans it takes over (`npx projen bench -- --synth`: 1,000 services in one chart are
 * faster without it, 2,500 alike, 5,000 and 1,600 charts of one service faster with it).
 */
const THREAD_THRESHOLD = 10_000;
const CHART_COST = 3;
/** The compiled worker script; absent when the library runs from TypeScript sources (its tests). */
const WORKER_SCRIPT = path.join(__dirname, 'plan-worker.js');

/**
 * Computes the TRAFFIC.md of the chart folders whose index it takes from `next`, a counter shared
 * by every thread computing plans of the same output: each takes the next folder until none is
 * left, so the threads share the work however it is spread over the charts. Folders that route no
 * traffic get no plan.
 */
export function takePlans(charts: ChartManifests[], next: Int32Array): ChartPlan[] {
  const plans: ChartPlan[] = [];
  for (let i = Atomics.add(next, 0, 1); i < charts.length; i = Atomics.add(next, 0, 1)) {
    const [chart, manifests] = charts[i];
    const plan = TrafficPlan.fromManifests(manifests);
    if (plan.routeTables.length > 0 || plan.flaggerRollouts.length > 0) {
      plans.push([i, `${chart}/${TrafficPlan.FILE_NAME}`, plan.toDocument()]);
    }
  }
  return plans;
}

/** The chart folder of an output path: its first segment. */
export function chartFolderOf(file: string): string {
  return file.slice(0, file.indexOf('/'));
}

/** How the plan thread is started; tests replace the script and shorten the wait. */
export interface PlanThreadOptions {
  /** The worker script (default: the compiled `plan-worker.js` beside this module). */
  readonly script?: string;
  /** The shortest wait for the thread before the main thread computes the plans itself (default 60 s). */
  readonly minimumPatienceMs?: number;
}

/** Objects per message to the worker: it parses each batch while the next objects are resolved. */
const BATCH = 2000;

/** What the main thread sends the worker: JSON text of resolved objects, then each chart folder's objects as indexes into them. */
export type PlanMessage = string | { readonly charts: [chart: string, objects: number[]][] };

/**
 * The traffic plans of an output while they are computed. With enough work (see THREAD_THRESHOLD)
 * and a second core, a worker thread gets a JSON copy of each object as soon as cdk8s has resolved it, and starts
 * on the plans once the layout is known, while the main thread validates, prints and writes; then
 * the main thread takes the folders the worker has not begun. Without a worker, the main thread
 * computes them all when asked. Same bytes either way, in folder order.
 */
export class PendingPlans {
  /**
   * Prepares for the plans of an app of `objectCount` objects in `chartCount` charts: starts the
   * worker thread now, when there will be one, so that it loads the library while cdk8s resolves the
   * objects.
   */
  public static prepare(objectCount: number, chartCount: number, options: PlanThreadOptions = {}): PendingPlans {
    const script = options.script ?? WORKER_SCRIPT;
    const next = new Int32Array(new SharedArrayBuffer(4));
    const worker = objectCount + CHART_COST * chartCount >= THREAD_THRESHOLD && fs.existsSync(script)
      ? BlockingWorker.start(script, { workerData: { next: next.buffer } })
      : undefined;
    return new PendingPlans(worker, next, options.minimumPatienceMs ?? 60_000);
  }

  private charts?: ChartManifests[];
  /** Each object sent to the worker, with its position among them. */
  private readonly sent = new Map<any, number>();
  private batch: any[] = [];
  private readonly startedAt = Date.now();

  private constructor(
    private readonly worker: BlockingWorker | undefined, private readonly next: Int32Array, private readonly minimumPatienceMs: number,
  ) {}

  /** One resolved object, which a plan may read: sent to the worker in batches. */
  public add(object: any): void {
    if (this.worker) {
      this.sent.set(object, this.sent.size);
      this.batch.push(object);
      if (this.batch.length >= BATCH) {
        this.flush();
      }
    }
  }

  /** Starts computing the plans of `objects` (every one given to `add`, in output order), grouped by chart folder. */
  public start(objects: PlacedObject[]): void {
    const byChart = new Map<string, any[]>();
    for (const o of objects) {
      const chart = chartFolderOf(o.file);
      const list = byChart.get(chart);
      if (list) {
        list.push(o.object);
      } else {
        byChart.set(chart, [o.object]);
      }
    }
    this.charts = [...byChart];
    if (this.worker) {
      this.flush();
      const charts = this.charts.map(([chart, manifests]): [string, number[]] => [chart, manifests.map((m) => this.indexOf(m))]);
      this.worker.post({ charts } satisfies PlanMessage);
    }
  }

  /**
   * The plans, relative path -> content, in chart folder order; waits for the thread computing them.
   * A thread that does not answer in many times the time this synthesis has taken so far (it ran out
   * of memory) is stopped, and the main thread computes every plan itself.
   */
  public result(): Map<string, string> {
    if (!this.charts) {
      throw new Error('internal error: traffic plans asked for before their objects were given');
    }
    const plans = takePlans(this.charts, this.next);
    if (this.worker) {
      try {
        plans.push(...(this.worker.finish(this.patience()) as ChartPlan[]));
      } catch (e: any) {
        if (e.code !== 'ETIMEDOUT') {
          throw e;
        }
        process.emitWarning(`${e.message}; the traffic plans are computed on the main thread instead`);
        return new Map(takePlans(this.charts, new Int32Array(1)).map(([, file, content]) => [file, content]));
      }
      plans.sort((a, b) => a[0] - b[0]);
    }
    return new Map(plans.map(([, file, content]) => [file, content]));
  }

  /** Stops the thread, if any: the synthesis failed before the plans were needed. */
  public stop(): void {
    this.worker?.stop();
  }

  /** How long to wait for the thread: its share of the work never takes 20 times what the whole synthesis has taken so far. */
  private patience(): number {
    return Math.max(this.minimumPatienceMs, 20 * (Date.now() - this.startedAt));
  }

  private flush(): void {
    if (this.batch.length > 0) {
      // JSON text is copied to the thread in one piece, several times faster than a structured clone
      this.worker!.post(JSON.stringify(this.batch) satisfies PlanMessage);
      this.batch = [];
    }
  }

  private indexOf(object: any): number {
    const index = this.sent.get(object);
    if (index === undefined) {
      throw new Error('internal error: an object of the output was not sent to the traffic plan thread');
    }
    return index;
  }
}
