import { App } from 'cdk8s';

/**
 * A cluster the fleet runs on.
 */
export interface FleetClusterProps {
  /** The cluster's name: a DNS-1123 label, and the name of its output folder `clusters/<name>/`. */
  readonly name: string;

  /**
   * Labels of the cluster. Kurator selects the cluster in its fleet by them.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * The cluster's name in ArgoCD (`destination.name`).
   *
   * @default - the cluster's name, unless `argoCdServer` is set
   */
  readonly argoCdName?: string;

  /**
   * The cluster's API server URL in ArgoCD (`destination.server`), instead of its name.
   *
   * @default - the cluster is addressed by `argoCdName`
   */
  readonly argoCdServer?: string;

  /**
   * The Kurator fleet the cluster belongs to. Needed for Kurator delivery.
   *
   * @default - none
   */
  readonly kuratorFleet?: string;

  /**
   * The Secret (in the Flux namespace) holding the kubeconfig Flux applies the cluster's folders with.
   *
   * @default '<name>-kubeconfig'
   */
  readonly fluxKubeConfigSecret?: string;
}

/**
 * One cluster of a `FleetApp`: the scope its charts are built in, and where it stands in the
 * rollout stages.
 */
export class FleetCluster {
  /** @internal */
  public static _of(props: FleetClusterProps, stage: string, stageIndex: number, app: App): FleetCluster {
    return new FleetCluster(props, stage, stageIndex, app);
  }

  /** The cluster's name. */
  public readonly name: string;

  /** The cluster's labels. */
  public readonly labels: { [key: string]: string };

  /** The stage the cluster belongs to. */
  public readonly stage: string;

  /** The position of its stage, 0 for the first. */
  public readonly stageIndex: number;

  /**
   * The root to build this cluster's charts in: `new Chart(cluster.app, 'web')`. Each cluster has its
   * own, so the same construct ids are used in every cluster.
   */
  public readonly app: App;

  /** The cluster as declared. */
  public readonly props: FleetClusterProps;

  private constructor(props: FleetClusterProps, stage: string, stageIndex: number, app: App) {
    this.props = props;
    this.name = props.name;
    this.labels = { ...props.labels };
    this.stage = stage;
    this.stageIndex = stageIndex;
    this.app = app;
  }
}

/**
 * A group of clusters that receives a release together; stages are promoted in the order the fleet
 * lists them.
 */
export interface FleetStageProps {
  /** The stage's name, e.g. `canary`, `eu`, `us`. */
  readonly name: string;

  /** The names of its clusters; every cluster belongs to exactly one stage. */
  readonly clusters: string[];
}
