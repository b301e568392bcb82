import { App } from 'cdk8s';
import { resolveChartObjects, validateConstructs } from './chart-objects';
import { splitForFlux } from './flux-layout';
import { ObjectFile, placeObjects, printObjects } from './object-files';
import { EarlyFiles } from './safe-output';
import { addSyncWaves } from './sync-waves';
import { trafficPlans } from './traffic-plans';
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
 * gets every file once all are rendered, before the caller's checks of the output.
 */
export function renderApp(app: App, options: AppOutputOptions, folder?: string, early?: EarlyFiles): AppOutput {
  if (options.argoCdSyncWaves) {
    addSyncWaves(app);
  }
  const constructs = app.node.findAll();
  validateConstructs(constructs);
  let placed = placeObjects(resolveChartObjects(app, constructs));
  const files = new Map<string, string>();
  if (options.fluxKustomizations) {
    const layout = splitForFlux(placed);
    placed = layout.objects;
    layout.kustomizations.forEach((content, file) => files.set(file, content));
  }
  // before the manifests are printed: the plans' garbage is collected before the text of every file is held
  const plans = options.trafficPlan ?? true ? trafficPlans(placed) : new Map<string, string>();
  const objects = printObjects(placed);
  objects.forEach((o) => files.set(o.file, o.content));
  plans.forEach((content, file) => files.set(file, content));
  if (early) {
    const place = (file: string) => (folder === undefined ? file : `${folder}/${file}`);
    early.list([...files.keys()].map(place));
    files.forEach((content, file) => early.write(place(file), content));
  }
  if (folder === undefined) {
    return { objects, files };
  }
  const below = (file: string) => `${folder}/${file}`;
  return {
    objects: objects.map((o) => extend(o, { file: below(o.file) })),
    files: new Map([...files].map(([file, content]) => [below(file), content])),
  };
}
