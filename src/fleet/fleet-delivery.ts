import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { argoCdApplications, argoCdApplicationSet, ApplicationSetGenerator } from './argocd-delivery';
import { DeliveryContext } from './delivery-context';
import { fluxKustomizations } from './flux-delivery';
import { goDuration } from './go-duration';
import { KuratorGitSourceProps } from './kurator-application';
import { kuratorApplication } from './kurator-delivery';

/**
 * Where ArgoCD finds the fleet's output.
 */
export interface ArgoCdDeliveryProps {
  /** The Git repository the fleet's output is committed to. */
  readonly repoUrl: string;

  /** The folder of the fleet's `outdir` in that repository, e.g. `deploy/fleet`. */
  readonly repoPath: string;

  /**
   * The revision to sync.
   *
   * @default 'HEAD'
   */
  readonly targetRevision?: string;

  /**
   * The ArgoCD project.
   *
   * @default 'default'
   */
  readonly project?: string;

  /**
   * The namespace ArgoCD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Whether ArgoCD syncs on its own, pruning removed objects and undoing drift.
   *
   * @default true
   */
  readonly automatedSync?: boolean;
}

/**
 * Where ArgoCD finds the fleet's output, and how the ApplicationSet makes Applications.
 */
export interface ArgoCdApplicationSetProps extends ArgoCdDeliveryProps {
  /**
   * The generator of the Applications.
   *
   * @default ApplicationSetGenerator.LIST
   */
  readonly generator?: ApplicationSetGenerator;

  /**
   * Sync the stages one after the other with ArgoCD's RollingSync strategy (ApplicationSet
   * progressive syncs must be enabled in ArgoCD); needs the list generator.
   *
   * @default false
   */
  readonly progressiveSync?: boolean;
}

/**
 * Where Flux finds the fleet's output.
 */
export interface FluxDeliveryProps {
  /** The Flux GitRepository that holds the fleet's output. */
  readonly gitRepository: string;

  /** The folder of the fleet's `outdir` in that repository, e.g. `deploy/fleet`. */
  readonly repoPath: string;

  /**
   * The namespace of the GitRepository.
   *
   * @default - the Kustomizations' namespace
   */
  readonly gitRepositoryNamespace?: string;

  /**
   * The namespace the Kustomizations live in.
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;

  /**
   * How often Flux re-applies each folder.
   *
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
}

/**
 * Where Kurator finds the fleet's output.
 */
export interface KuratorDeliveryProps {
  /** The Git repository the fleet's output is committed to. */
  readonly source: KuratorGitSourceProps;

  /** The folder of the fleet's `outdir` in that repository, e.g. `deploy/fleet`. */
  readonly repoPath: string;

  /**
   * The namespace of the Application on the Kurator host cluster.
   *
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * How often each folder is re-applied.
   *
   * @default - Duration.minutes(5), and 0 (never) for a folder whose release Kurator rolls out
   */
  readonly interval?: Duration;

  /**
   * Whether Kurator installs a load tester of its own for each release handed to Flagger.
   *
   * @default true
   */
  readonly testLoader?: boolean;
}

/**
 * The objects that make a GitOps engine apply each cluster's folder to its cluster, written beside
 * the cluster folders in `delivery/<engine>/`.
 */
export class FleetDelivery {
  /** One ArgoCD Application per cluster, labelled and sync-waved by stage. */
  public static argoCdApplications(props: ArgoCdDeliveryProps): FleetDelivery {
    return new FleetDelivery('argocd', (scope, context) => argoCdApplications(scope, context, argoOptions(props)));
  }

  /** One ArgoCD ApplicationSet that makes an Application per cluster. */
  public static argoCdApplicationSet(props: ArgoCdApplicationSetProps): FleetDelivery {
    return new FleetDelivery('argocd', (scope, context) => argoCdApplicationSet(scope, context, argoOptions(props),
      props.generator ?? ApplicationSetGenerator.LIST, props.progressiveSync ?? false));
  }

  /** Flux Kustomizations per cluster and chart: `base`, then `routes` depending on it. */
  public static flux(props: FluxDeliveryProps): FleetDelivery {
    return new FleetDelivery('flux', (scope, context) => fluxKustomizations(scope, context, {
      gitRepository: props.gitRepository,
      gitRepositoryNamespace: props.gitRepositoryNamespace,
      repoPath: props.repoPath,
      namespace: props.namespace ?? 'flux-system',
      interval: goDuration('FleetDelivery.flux', 'interval', props.interval ?? Duration.minutes(10)),
    }));
  }

  /** One Kurator Application with sync policies per cluster of each Kurator fleet. */
  public static kurator(props: KuratorDeliveryProps): FleetDelivery {
    return new FleetDelivery('kurator', (scope, context) => kuratorApplication(scope, context, {
      source: props.source,
      repoPath: props.repoPath,
      namespace: props.namespace ?? 'default',
      interval: props.interval,
      testLoader: props.testLoader ?? true,
    }));
  }

  /**
   * The engine, which names the output folder `delivery/<engine>/`.
   */
  public readonly engine: string;

  private constructor(engine: string, private readonly build: (scope: Construct, context: DeliveryContext) => void) {
    this.engine = engine;
  }

  /**
   * Adds the delivery objects to `scope`.
   * @internal
   */
  public _build(scope: Construct, context: DeliveryContext): void {
    this.build(scope, context);
  }
}

function argoOptions(props: ArgoCdDeliveryProps) {
  return {
    repoUrl: props.repoUrl,
    repoPath: props.repoPath,
    targetRevision: props.targetRevision ?? 'HEAD',
    project: props.project ?? 'default',
    namespace: props.namespace ?? 'argocd',
    automatedSync: props.automatedSync ?? true,
  };
}
