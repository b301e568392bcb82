import * as fs from 'fs';
import * as path from 'path';
import { BlockingWorker } from './blocking-worker';
import { PlacedObject } from './object-files';
import { TrafficPlan } from '../plan/traffic-plan';

/** The objects of one chart folder, in output order (the plan's input order decides ties). */
export type ChartManifests = [chart: string, manifests: any[]];

/** Below this many objects, starting a thread costs more than the plans it takes over. */
const THREAD_THRESHOLD = 2000;
/** The compiled worker script; absent when the library runs from TypeScript sources (its tests). */
const WORKER_SCRIPT = path.join(__dirname, 'plan-worker.js');

/** The TRAFFIC.md of every chart folder that routes traffic: relative path -> content. */
export function chartPlans(charts: ChartManifests[]): Map<string, string> {
  const plans = new Map<string, string>();
  for (const [chart, manifests] of charts) {
    const plan = TrafficPlan.fromManifests(manifests);
    if (plan.routeTables.length > 0 || plan.flaggerRollouts.length > 0) {
      plans.set(`${chart}/${TrafficPlan.FILE_NAME}`, plan.toDocument());
    }
  }
  return plans;
}

/** The chart folder of an output path: its first segment. */
export function chartFolderOf(file: string): string {
  return file.slice(0, file.indexOf('/'));
}

/**
 * The traffic plans of an output while they are computed. With thousands of objects and a second
 * core, a worker thread computes them from a JSON copy of the objects while the main thread prints
 * and writes the manifests; otherwise they are computed when asked for. Same bytes either way.
 */
export class PendingPlans {
  /**
   * Prepares for the plans of an app of `objectCount` objects: starts the worker thread now, when
   * there will be one, so that it loads the library while cdk8s resolves the objects.
   */
  public static prepare(objectCount: number): PendingPlans {
    const worker = objectCount >= THREAD_THRESHOLD && fs.existsSync(WORKER_SCRIPT) ? BlockingWorker.start(WORKER_SCRIPT) : undefined;
    return new PendingPlans(worker);
  }

  private charts?: ChartManifests[];

  private constructor(private readonly worker: BlockingWorker | undefined) {}

  /** Starts computing the plans of `objects` (output order), grouped by chart folder. */
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
    // JSON text is copied to the thread in one piece, several times faster than a structured clone
    this.worker?.post(JSON.stringify(this.charts));
  }

  /** The plans, relative path -> content; waits for the thread computing them. */
  public result(): Map<string, string> {
    if (!this.charts) {
      throw new Error('internal error: traffic plans asked for before their objects were given');
    }
    return this.worker ? new Map<string, string>(this.worker.finish()) : chartPlans(this.charts);
  }

  /** Stops the thread, if any: the synthesis failed before the plans were needed. */
  public stop(): void {
    this.worker?.stop();
  }
}
