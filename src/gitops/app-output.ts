import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { resolveChartObjects, validateConstructs } from './chart-objects';
import { splitForFlux } from './flux-layout';
import { ObjectFile, PlacedObject, placeObjects, printObjects } from './object-files';
import { EarlyFiles } from './safe-output';
import { addSyncWaves } from './sync-waves';
import { chartFolderOf, PendingPlans } from './traffic-plans';
import { TrafficPlan } from '../plan/traffic-plan';
import { extend } from '../semantics/extend';

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
 * Synthesizes an App into GitOps files: one file per object below a folder per chart, optionally
 * split for Flux, with sync waves and a traffic plan per chart. With `folder`, every path is placed
 * below it (a cluster's folder in a fleet). Nothing is written, except that `early`, when given,
 * gets every file but the plans as soon as they are printed, while the plans are still computed.
 */
export function renderApp(app: App, options: AppOutputOptions, folder?: string, early?: EarlyFiles): AppOutput {
  if (options.argoCdSyncWaves) {
    addSyncWaves(app);
  }
  const constructs = app.node.findAll();
  // the plans may be computed on another thread while the manifests are printed and written
  const plans = options.trafficPlan ?? true
    ? PendingPlans.prepare(constructs.filter((c) => c instanceof ApiObject).length, constructs.filter((c) => c instanceof Chart).length)
    : undefined;
  try {
    let placed = placedObjects(app, constructs, (json) => plans?.add(json));
    const files = new Map<string, string>();
    if (options.fluxKustomizations) {
      const layout = splitForFlux(placed);
      placed = layout.objects;
      layout.kustomizations.forEach((content, file) => files.set(file, content));
    }
    plans?.start(placed);
    // validated while the plans are computed, before anything is printed or written
    validateConstructs(constructs);
    const objects = printObjects(placed);
    objects.forEach((o) => files.set(o.file, o.content));
    if (early) {
      const place = (file: string) => (folder === undefined ? file : `${folder}/${file}`);
      const planFiles = plans ? [...new Set(placed.map((o) => chartFolderOf(o.file)))].map((chart) => `${chart}/${TrafficPlan.FILE_NAME}`) : [];
      early.list([...files.keys(), ...planFiles].map(place));
      files.forEach((content, file) => early.write(place(file), content));
    }
    plans?.result().forEach((content, file) => files.set(file, content));
    if (folder === undefined) {
      return { objects, files };
    }
    const below = (file: string) => `${folder}/${file}`;
    return {
      objects: objects.map((o) => extend(o, { file: below(o.file) })),
      files: new Map([...files].map(([file, content]) => [below(file), content])),
    };
  } catch (e) {
    plans?.stop();
    throw e;
  }
}

/** The objects in their files; a failure reports the validation errors first, as cdk8s would. */
function placedObjects(app: App, constructs: IConstruct[], resolved: (json: any) => void): PlacedObject[] {
  const objects = resolveChartObjects(app, constructs, resolved);
  try {
    return placeObjects(objects);
  } catch (e) {
    validateConstructs(constructs);
    throw e;
  }
}
