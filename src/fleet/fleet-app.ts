import { App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { chartFolders, clusterFolder, DeliveryContext } from './delivery-context';
import { FleetCluster, FleetClusterProps, FleetStageProps } from './fleet-cluster';
import { FleetDelivery } from './fleet-delivery';
import { FLEET_PLAN, fleetPlan, isTrafficPlan, reachedStages } from './fleet-plan';
import { FleetRelease } from './fleet-release';
import { renderApp } from '../gitops/app-output';
import { Baseline } from '../gitops/baseline';
import { outdirOf } from '../gitops/cli-outdir';
import { LocatedObject } from '../gitops/manifest-files';
import { ObjectFile } from '../gitops/object-files';
import { recordObjectShapes } from '../gitops/object-shapes';
import { RenderedOutput, writeOutputSafely } from '../gitops/safe-output';
import { diffTraffic } from '../gitops/traffic-diff';
import { checkDnsLabel } from '../validate/names';
import { requireStringMap } from '../validate/prop-types';
import { requireUniqueObjects } from '../validate/unique-objects';

/**
 * Properties of a fleet app.
 */
export interface FleetAppProps {
  /** The fleet's name (a DNS-1123 label): names the delivery objects, e.g. `<name>-<cluster>`. */
  readonly name: string;

  /** The clusters, each with its own output folder `clusters/<name>/`. */
  readonly clusters: FleetClusterProps[];

  /**
   * The stages, in promotion order; every cluster belongs to exactly one.
   *
   * @default - one stage `all` with every cluster
   */
  readonly stages?: FleetStageProps[];

  /**
   * The GitOps engines that apply the cluster folders, written to `delivery/<engine>/`.
   *
   * @default - none: only the cluster folders are written
   */
  readonly deliveries?: FleetDelivery[];

  /**
   * The folder committed to Git; replaced by every synthesis with the same safety rules as
   * `GitOpsApp` (only its own files, all or nothing, judged against the last committed output).
   * Under `cdk8s synth`, leave it out and set `output` in `cdk8s.yaml`.
   *
   * @default - `CDK8S_OUTDIR` when the cdk8s CLI runs the app, else 'dist'
   */
  readonly outdir?: string;

  /**
   * Adds ArgoCD sync waves to the objects of every cluster (see `GitOpsAppProps.argoCdSyncWaves`).
   *
   * @default true
   */
  readonly argoCdSyncWaves?: boolean;

  /**
   * Writes a `TRAFFIC.md` into each chart folder of each cluster.
   *
   * @default true
   */
  readonly trafficPlan?: boolean;

  /**
   * Refuses an output that is unsafe to apply after the last committed one: per cluster, what
   * `GitOpsAppProps.checkRetirement` refuses; across the fleet, a staged rollout that moves more than
   * one stage in one change.
   *
   * @default true
   */
  readonly checkRetirement?: boolean;

  /**
   * The Git ref whose committed `outdir` is the baseline (see `GitOpsAppProps.baselineRef`).
   *
   * @default 'HEAD'
   */
  readonly baselineRef?: string;
}

/**
 * One synthesis for a fleet of clusters: the charts are built once per cluster, in that cluster's
 * own `app`, with the release settings of that cluster (`FleetRelease.valuesFor`), and written to
 * one folder per cluster (`clusters/<name>/<chart>/base|routes/`, the GitOpsApp layout for Flux),
 * beside the delivery objects of the chosen engines (`delivery/<engine>/`) and `FLEET.md`, which
 * says who runs what where.
 *
 * @example
 * const fleet = new FleetApp({ name: 'color', clusters, stages, deliveries: [FleetDelivery.flux({ ... })] });
 * const color = new FleetRelease(fleet, 'color', { rollout: StagedRollout.activeVersion({ from: 'blue', to: 'green', reached: 'canary' }) });
 * for (const cluster of fleet.clusters) {
 *   const chart = new Chart(cluster.app, 'color');
 *   new BlueGreen(chart, 'color', { ...props, activeVersion: color.valuesFor(cluster).activeVersion });
 * }
 * fleet.synth();
 */
export class FleetApp extends Construct {
  /** The clusters, in declaration order. */
  public readonly clusters: FleetCluster[];
  /** The stage names, in promotion order. */
  public readonly stageNames: string[];
  /** The output folder. */
  public readonly outdir: string;
  private readonly props: FleetAppProps;

  constructor(props: FleetAppProps) {
    super(undefined as any, '');
    recordObjectShapes();
    this.props = props;
    this.outdir = outdirOf('FleetApp', props.outdir);
    checkDnsLabel('FleetApp', 'name', props.name);
    if (props.clusters.length === 0) {
      throw new Error('FleetApp: clusters is empty: declare at least one cluster');
    }
    const names = new Set<string>();
    for (const cluster of props.clusters) {
      checkDnsLabel('FleetApp', 'cluster name', cluster.name);
      if (names.has(cluster.name)) {
        throw new Error(`FleetApp: duplicate cluster name '${cluster.name}': each cluster has its own output folder, so names must be unique`);
      }
      names.add(cluster.name);
      requireStringMap(`FleetApp cluster '${cluster.name}'`, 'labels', cluster.labels, true);
      if (cluster.argoCdName !== undefined && cluster.argoCdServer !== undefined) {
        throw new Error(`FleetApp: cluster '${cluster.name}' sets both argoCdName '${cluster.argoCdName}' and argoCdServer '${cluster.argoCdServer}': ArgoCD addresses a destination by one of them; keep one`);
      }
    }
    const stages = props.stages ?? [{ name: 'all', clusters: props.clusters.map((c) => c.name) }];
    const stageOf = stageIndexes(stages, names);
    this.stageNames = stages.map((s) => s.name);
    const engines = new Set<string>();
    for (const delivery of props.deliveries ?? []) {
      if (engines.has(delivery.engine)) {
        throw new Error(`FleetApp: two ${delivery.engine} deliveries: both would write delivery/${delivery.engine}/; keep one`);
      }
      engines.add(delivery.engine);
    }
    this.clusters = props.clusters.map((c) => {
      const app = new App({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, recordConstructMetadata: false });
      requireUniqueObjects(app);
      const index = stageOf.get(c.name)!;
      return FleetCluster._of(c, this.stageNames[index], index, app);
    });
  }

  /** The cluster of that name. */
  public cluster(name: string): FleetCluster {
    const cluster = this.clusters.find((c) => c.name === name);
    if (!cluster) {
      throw new Error(`FleetApp: unknown cluster '${name}': the clusters are ${this.clusters.map((c) => `'${c.name}'`).join(', ')}`);
    }
    return cluster;
  }

  /**
   * Synthesizes every cluster and the delivery objects and replaces the previous output in `outdir`,
   * after checking that the folder is the fleet's to replace and that the change is safe: per cluster
   * against that cluster's last committed output, and no staged rollout moves more than one stage.
   */
  public synth(): void {
    const releases = this.node.children.filter((c): c is FleetRelease => c instanceof FleetRelease);
    writeOutputSafely(this.outdir, { ...this.props, baselineFiles: (file) => file === FLEET_PLAN }, (baseline) => {
      const files = new Map<string, string>();
      const problems: string[] = [];
      const charts = new Map<string, ReturnType<typeof chartFolders>>();
      for (const cluster of this.clusters) {
        const folder = clusterFolder(cluster.name);
        const layout = { argoCdSyncWaves: this.props.argoCdSyncWaves ?? true, fluxKustomizations: true, trafficPlan: this.props.trafficPlan };
        const output = renderApp(cluster.app, layout, folder);
        output.files.forEach((content, file) => files.set(file, content));
        charts.set(cluster.name, chartFolders(cluster.name, output.objects));
        if (baseline) {
          const diff = diffTraffic(below(folder, baseline.objects), below(folder, output.objects));
          problems.push(...diff.problems.map((p) => `cluster ${cluster.name}: ${p}`));
        }
      }
      if (baseline) {
        problems.push(...this.skippedStages(baseline, releases));
      }
      const context: DeliveryContext = { fleetName: this.props.name, clusters: this.clusters, stageNames: this.stageNames, charts };
      this.deliveryFiles(context).forEach((content, file) => files.set(file, content));
      files.set(FLEET_PLAN, fleetPlan({
        name: this.props.name,
        stageNames: this.stageNames,
        clusters: this.clusters,
        releases,
        trafficPlans: [...files.keys()].filter(isTrafficPlan),
      }));
      return { files, problems } satisfies RenderedOutput;
    });
  }

  /** The delivery objects, each engine in `delivery/<engine>/`, laid out like the clusters' objects. */
  private deliveryFiles(context: DeliveryContext): Map<string, string> {
    const app = new App({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, recordConstructMetadata: false });
    for (const delivery of this.props.deliveries ?? []) {
      delivery._build(new Chart(app, delivery.engine), context);
    }
    return renderApp(app, { trafficPlan: false }, 'delivery').files;
  }

  /** Staged rollouts that move more than one stage forward since the baseline's FLEET.md. */
  private skippedStages(baseline: Baseline, releases: FleetRelease[]): string[] {
    const plan = baseline.files.get(FLEET_PLAN);
    if (plan === undefined) {
      return [];
    }
    const before = reachedStages(plan);
    const problems: string[] = [];
    for (const release of releases) {
      const was = before.get(release.node.id);
      if (!release.rollout || was === undefined) {
        continue;
      }
      const wasIndex = was === '-' ? -1 : this.stageNames.indexOf(was);
      const now = release.reachedStageIndex!;
      if (wasIndex >= -1 && now > wasIndex + 1 && (was === '-' || wasIndex >= 0)) {
        const skipped = this.stageNames.slice(wasIndex + 1, now);
        problems.push(`release '${release.node.id}' moves its ${release.rollout.setting} from ${was === '-' ? 'no stage' : `stage '${was}'`} to stage '${this.stageNames[now]}' in one change, skipping ${skipped.map((s) => `'${s}'`).join(', ')}: promote one stage at a time (reached: '${this.stageNames[wasIndex + 1]}'), let it sync and check it, then the next`);
      }
    }
    return problems;
  }
}

/** The stage index of every cluster; every cluster in exactly one stage, stages unique and non-empty. */
function stageIndexes(stages: FleetStageProps[], clusters: Set<string>): Map<string, number> {
  if (stages.length === 0) {
    throw new Error('FleetApp: stages is empty: leave it out for one stage with every cluster, or list the stages in order');
  }
  const seen = new Set<string>();
  const stageOf = new Map<string, number>();
  stages.forEach((stage, index) => {
    checkDnsLabel('FleetApp', 'stage name', stage.name);
    if (seen.has(stage.name)) {
      throw new Error(`FleetApp: duplicate stage '${stage.name}': each stage is declared once, in promotion order`);
    }
    seen.add(stage.name);
    if (stage.clusters.length === 0) {
      throw new Error(`FleetApp: stage '${stage.name}' has no clusters: a rollout would pass it without running anywhere; remove it or give it clusters`);
    }
    for (const name of stage.clusters) {
      if (!clusters.has(name)) {
        throw new Error(`FleetApp: stage '${stage.name}' names unknown cluster '${name}': the clusters are ${[...clusters].map((c) => `'${c}'`).join(', ')}`);
      }
      const other = stageOf.get(name);
      if (other !== undefined) {
        throw new Error(`FleetApp: cluster '${name}' is in stages '${stages[other].name}' and '${stage.name}': a cluster belongs to exactly one stage`);
      }
      stageOf.set(name, index);
    }
  });
  const missing = [...clusters].filter((c) => !stageOf.has(c));
  if (missing.length > 0) {
    throw new Error(`FleetApp: cluster${missing.length === 1 ? '' : 's'} ${missing.map((c) => `'${c}'`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} in no stage: a staged rollout would never reach ${missing.length === 1 ? 'it' : 'them'}; add ${missing.length === 1 ? 'it' : 'them'} to a stage`);
  }
  return stageOf;
}

/** The objects below a folder, with paths relative to it. */
function below(folder: string, objects: (LocatedObject | ObjectFile)[]): LocatedObject[] {
  const prefix = `${folder}/`;
  return objects.filter((o) => o.file.startsWith(prefix)).map((o) => ({ file: o.file.slice(prefix.length), object: o.object }));
}
