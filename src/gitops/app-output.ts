import { App } from 'cdk8s';
import { synthesizeChartObjects } from './chart-objects';
import { splitForFlux } from './flux-layout';
import { ObjectFile, objectFiles } from './object-files';
import { addSyncWaves } from './sync-waves';
import { TrafficPlan } from '../plan/traffic-plan';

/** How one cdk8s App is laid out in a GitOps output folder. */
export interface AppOutputOptions {
  /** ArgoCD sync waves on every object that has a wave. */
  readonly argoCdSyncWaves?: boolean;
  /** Each chart folder split into `base/` and `routes/` with a `kustomization.yaml` each. */
  readonly fluxKustomizations?: boolean;
  /** A `TRAFFIC.md` in every chart folder that routes traffic (default true). */
  readonly trafficPlan?: boolean;
}

/** The files of one App: its objects (paths relative to the output folder) and every file to write. */
export interface AppOutput {
  readonly objects: ObjectFile[];
  /** Relative `/` path -> content: the objects, kustomizations and traffic plans. */
  readonly files: Map<string, string>;
}

/**
 * Synthesizes an App into GitOps files without writing anything: one file per object below a folder
 * per chart, optionally split for Flux, with sync waves and a traffic plan per chart. With `folder`,
 * every path is placed below it (a cluster's folder in a fleet).
 */
export function renderApp(app: App, options: AppOutputOptions, folder?: string): AppOutput {
  if (options.argoCdSyncWaves) {
    addSyncWaves(app);
  }
  let objects = objectFiles(synthesizeChartObjects(app));
  const files = new Map<string, string>();
  if (options.fluxKustomizations) {
    const layout = splitForFlux(objects);
    objects = layout.objects;
    layout.kustomizations.forEach((content, file) => files.set(file, content));
  }
  objects.forEach((o) => files.set(o.file, o.content));
  if (options.trafficPlan ?? true) {
    trafficPlans(objects).forEach((content, file) => files.set(file, content));
  }
  if (folder === undefined) {
    return { objects, files };
  }
  const below = (file: string) => `${folder}/${file}`;
  return {
    objects: objects.map((o) => ({ ...o, file: below(o.file) })),
    files: new Map([...files].map(([file, content]) => [below(file), content])),
  };
}

/** A TRAFFIC.md for every chart folder that routes traffic. */
function trafficPlans(objects: ObjectFile[]): Map<string, string> {
  const byChart = new Map<string, any[]>();
  for (const o of objects) {
    const chart = o.file.slice(0, o.file.indexOf('/'));
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
