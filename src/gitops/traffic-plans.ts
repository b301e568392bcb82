import { PlacedObject } from './object-files';
import { TrafficPlan } from '../plan/traffic-plan';

/**
 * The TRAFFIC.md of every chart folder that routes traffic, relative path -> content, in folder
 * order: each plan is built from the folder's objects in output order (the order decides ties, as
 * istiod's creation order does). Folders that route no traffic get no plan.
 */
export function trafficPlans(objects: PlacedObject[]): Map<string, string> {
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
  const plans = new Map<string, string>();
  for (const [chart, manifests] of byChart) {
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
