import { FleetCluster } from './fleet-cluster';
import { FLUX_BASE, FLUX_ROUTES } from '../gitops/flux-layout';
import { ObjectFile } from '../gitops/object-files';

/** One chart folder of a cluster, in the base/routes layout. */
export interface ChartFolder {
  /** The folder name, as cdk8s names the chart. */
  readonly name: string;
  /** The objects of its `base/` part. */
  readonly base: any[];
  /** The objects of its `routes/` part. */
  readonly routes: any[];
}

/** What the delivery objects are generated from. */
export interface DeliveryContext {
  readonly fleetName: string;
  readonly clusters: FleetCluster[];
  readonly stageNames: string[];
  /** Chart folders by cluster name, in folder order. */
  readonly charts: Map<string, ChartFolder[]>;
}

/** A cluster's folder in the fleet output. */
export function clusterFolder(cluster: string): string {
  return `clusters/${cluster}`;
}

/** The chart folders of one cluster's objects (paths below `clusters/<name>/`). */
export function chartFolders(cluster: string, objects: ObjectFile[]): ChartFolder[] {
  const prefix = `${clusterFolder(cluster)}/`;
  const charts = new Map<string, { base: any[]; routes: any[] }>();
  for (const o of objects) {
    const [chart, part] = o.file.slice(prefix.length).split('/');
    const entry = charts.get(chart) ?? { base: [], routes: [] };
    charts.set(chart, entry);
    if (part === FLUX_BASE) {
      entry.base.push(o.object);
    } else if (part === FLUX_ROUTES) {
      entry.routes.push(o.object);
    }
  }
  return [...charts].map(([name, parts]) => ({ name, ...parts }));
}

/** A folder of the repository: `./<repoPath>/<folder>` (or without the `./` for ArgoCD). */
export function repoFolder(repoPath: string, folder: string, dotSlash: boolean): string {
  const base = repoPath.replace(/^\.\/+/, '').replace(/\/+$/, '');
  const joined = base === '' || base === '.' ? folder : `${base}/${folder}`;
  return dotSlash ? `./${joined}` : joined;
}
