import { Construct } from 'constructs';
import { FleetApp } from './fleet-app';
import { FleetCluster } from './fleet-cluster';
import { StagedRollout } from './staged-rollout';

/**
 * The release settings that may differ from one cluster to another.
 */
export interface ClusterReleaseValues {
  /**
   * The active version of a BlueGreen release.
   *
   * @default - none
   */
  readonly activeVersion?: string;

  /**
   * The canary weight of a Canary release.
   *
   * @default - none
   */
  readonly canaryWeight?: number;

  /**
   * The external hosts.
   *
   * @default - none
   */
  readonly hosts?: string[];

  /**
   * Replicas of the version workloads.
   *
   * @default - none
   */
  readonly replicas?: number;
}

/**
 * Settings of a release that differ in one cluster.
 */
export interface ClusterOverride extends ClusterReleaseValues {
  /** The cluster's name. */
  readonly cluster: string;
}

/**
 * A release's settings across the fleet: values for every cluster, per-cluster overrides and at
 * most one setting rolled out stage by stage.
 */
export interface FleetReleaseProps extends ClusterReleaseValues {
  /**
   * Values that differ in some clusters, e.g. more replicas in the biggest region.
   *
   * @default - every cluster gets the same values
   */
  readonly overrides?: ClusterOverride[];

  /**
   * A setting (active version or canary weight) moving through the stages in order.
   *
   * @default - nothing is staged
   */
  readonly rollout?: StagedRollout;
}

const SETTINGS = ['activeVersion', 'canaryWeight', 'hosts', 'replicas'] as const;

/**
 * One release across the fleet: which settings each cluster gets. Build the release in each
 * cluster's chart with `valuesFor(cluster)`. The declaration is checked when it is made: overrides
 * name declared clusters, and a staged rollout runs in whole stages, in order, never in a later
 * stage before an earlier one.
 *
 * @example
 * const color = new FleetRelease(fleet, 'color', {
 *   canaryWeight: 25,
 *   rollout: StagedRollout.activeVersion({ from: 'blue', to: 'green', reached: 'canary' }),
 * });
 */
export class FleetRelease extends Construct {
  /** The staged rollout, if any. */
  public readonly rollout?: StagedRollout;
  /** The index of the last stage the rollout reached (-1: none); undefined without a rollout. */
  public readonly reachedStageIndex?: number;
  private readonly values = new Map<string, ClusterReleaseValues>();

  constructor(fleet: FleetApp, id: string, props: FleetReleaseProps) {
    super(fleet, id);
    const where = this.node.path;
    const clusters = new Map(fleet.clusters.map((c) => [c.name, c]));
    const overrides = new Map<string, ClusterOverride>();
    for (const override of props.overrides ?? []) {
      if (!clusters.has(override.cluster)) {
        throw new Error(`${where}: override for unknown cluster '${override.cluster}': the fleet's clusters are ${[...clusters.keys()].map((c) => `'${c}'`).join(', ')}`);
      }
      if (overrides.has(override.cluster)) {
        throw new Error(`${where}: two overrides for cluster '${override.cluster}': merge them into one`);
      }
      overrides.set(override.cluster, override);
    }
    this.rollout = props.rollout;
    const setting = props.rollout?.setting as keyof ClusterReleaseValues | undefined;
    if (props.rollout && setting && props[setting] !== undefined) {
      throw new Error(`${where}: ${setting} is set both for every cluster and by the staged rollout: remove ${setting} and let the rollout decide it (from '${props.rollout._from}' to '${props.rollout._to}')`);
    }
    this.reachedStageIndex = props.rollout?._reachedIndex(where, fleet.stageNames);
    for (const cluster of fleet.clusters) {
      const resolved: Record<string, any> = {};
      for (const key of SETTINGS) {
        resolved[key] = props[key];
      }
      if (props.rollout && setting) {
        resolved[setting] = cluster.stageIndex <= this.reachedStageIndex! ? props.rollout._to : props.rollout._from;
      }
      const override = overrides.get(cluster.name);
      for (const key of SETTINGS) {
        if (override?.[key] !== undefined) {
          resolved[key] = override[key];
        }
      }
      this.values.set(cluster.name, resolved);
    }
    if (props.rollout && setting) {
      this.checkStageOrder(fleet, props.rollout, setting);
    }
  }

  /** The settings of the release in one cluster of the fleet. */
  public valuesFor(cluster: FleetCluster): ClusterReleaseValues {
    const values = this.values.get(cluster.name);
    if (!values) {
      throw new Error(`${this.node.path}: '${cluster.name}' is not a cluster of this release's fleet`);
    }
    return values;
  }

  /**
   * Overrides may change the staged setting only in ways that keep the rollout in order: each
   * cluster runs the old or the new value, whole stages move together, and no stage runs the new
   * value while an earlier one runs the old.
   */
  private checkStageOrder(fleet: FleetApp, rollout: StagedRollout, setting: keyof ClusterReleaseValues): void {
    const where = this.node.path;
    const promoted = fleet.stageNames.map(() => [] as string[]);
    const kept = fleet.stageNames.map(() => [] as string[]);
    for (const cluster of fleet.clusters) {
      const value = this.values.get(cluster.name)![setting];
      if (value !== rollout._from && value !== rollout._to) {
        throw new Error(`${where}: cluster '${cluster.name}' sets ${setting} '${value}', but the staged rollout moves it from '${rollout._from}' to '${rollout._to}': a cluster runs one of the two; remove the override`);
      }
      (value === rollout._to ? promoted : kept)[cluster.stageIndex].push(cluster.name);
    }
    fleet.stageNames.forEach((stage, i) => {
      if (promoted[i].length > 0 && kept[i].length > 0) {
        throw new Error(`${where}: stage '${stage}' is split: ${promoted[i].join(', ')} run${promoted[i].length === 1 ? 's' : ''} ${setting} '${rollout._to}' and ${kept[i].join(', ')} still '${rollout._from}'; a stage moves as a whole: remove the override or give those clusters a stage of their own`);
      }
    });
    const last = promoted.map((p) => p.length > 0).lastIndexOf(true);
    const behind = kept.findIndex((k, i) => i < last && k.length > 0);
    if (behind >= 0) {
      const ahead = fleet.stageNames[last];
      throw new Error(`${where}: stage '${ahead}' would run ${setting} '${rollout._to}' ahead of the earlier stage '${fleet.stageNames[behind]}' (still '${rollout._from}'), skipping it; stages are promoted in order (${fleet.stageNames.join(' → ')}): promote '${fleet.stageNames[behind]}' first or remove the override`);
    }
  }
}
