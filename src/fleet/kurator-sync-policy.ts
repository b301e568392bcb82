import { Duration } from 'cdk8s';
import { ApplicationSpecSyncPolicies } from '../../imports/apps.kurator.dev';
import { TrafficRelease } from '../traffic-release';
import { goDuration } from './go-duration';
import { kuratorRollout } from './kurator-rollout';
import { requireStringMap } from '../validate/prop-types';

/**
 * Where and how Kurator applies one folder of the Git source.
 */
export interface KuratorKustomizationProps {
  /** The Kurator fleet the folder is applied to. */
  readonly fleet: string;

  /** The folder in the Git source, e.g. `./deploy/webapp`. */
  readonly path: string;

  /**
   * Only the clusters of the fleet with these labels.
   *
   * @default - every cluster of the fleet
   */
  readonly clusterSelector?: { [key: string]: string };

  /**
   * How often Flux re-applies the folder.
   *
   * @default Duration.minutes(5); `Duration.seconds(0)` for a rollout, as Kurator advises, so Flux never
   * undoes the replica changes Flagger makes
   */
  readonly interval?: Duration;

  /**
   * How long one apply may take.
   *
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;

  /**
   * Whether objects removed from the folder are deleted from the clusters.
   *
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Namespace for objects of the folder that name none.
   *
   * @default - the namespaces the manifests name
   */
  readonly targetNamespace?: string;
}

/**
 * A folder applied by Kurator whose release Kurator hands to Flagger.
 */
export interface KuratorRolloutProps extends KuratorKustomizationProps {
  /**
   * Whether Kurator installs a load tester of its own (`<service>-testloader`) for the release's
   * load-test webhooks; without it Kurator uses the shared one of its Flagger plugin.
   *
   * @default true
   */
  readonly testLoader?: boolean;
}

/**
 * One entry of a Kurator Application's `syncPolicies`: a folder Kurator applies to a fleet, and for a
 * release handed to Flagger, the rollout policy Kurator turns into the Flagger Canary.
 */
export class KuratorSyncPolicy {
  /** Kurator applies the folder to the fleet. */
  public static kustomization(props: KuratorKustomizationProps): KuratorSyncPolicy {
    return new KuratorSyncPolicy(props, undefined, true);
  }

  /**
   * Kurator applies the folder holding the release's workload and creates the Flagger Canary from a
   * rollout policy derived from the release's `flagger` options, so the folder must not hold the
   * Canary itself. Throws when the release is not handed to Flagger or uses Flagger settings that
   * Kurator cannot express.
   */
  public static rollout(release: TrafficRelease, props: KuratorRolloutProps): KuratorSyncPolicy {
    if (!release.flaggerCanary) {
      throw new Error(`${release.node.path}: a Kurator rollout needs a release handed to Flagger (the flagger option): Kurator creates a Flagger Canary; use KuratorSyncPolicy.kustomization for a release with static routes`);
    }
    return new KuratorSyncPolicy(props, release.flaggerCanary.toJson(), props.testLoader ?? true);
  }

  /**
   * A rollout policy from a Canary the library wrote (as JSON), for fleets.
   * @internal
   */
  public static _fromCanary(canary: any, props: KuratorRolloutProps): KuratorSyncPolicy {
    return new KuratorSyncPolicy(props, canary, props.testLoader ?? true);
  }

  private constructor(
    private readonly props: KuratorKustomizationProps,
    private readonly canary: any,
    private readonly testLoader: boolean,
  ) {}

  /**
   * The policy as Kurator's API writes it.
   * @internal
   */
  public _render(where: string): ApplicationSpecSyncPolicies {
    const p = this.props;
    requireStringMap(where, 'clusterSelector', p.clusterSelector, true);
    const interval = p.interval ?? (this.canary ? Duration.seconds(0) : Duration.minutes(5));
    return {
      destination: { fleet: p.fleet, clusterSelector: p.clusterSelector ? { matchLabels: { ...p.clusterSelector } } : undefined },
      kustomization: {
        interval: goDuration(where, 'interval', interval),
        path: p.path,
        prune: p.prune ?? true,
        timeout: goDuration(where, 'timeout', p.timeout ?? Duration.minutes(2)),
        targetNamespace: p.targetNamespace,
      },
      rollout: this.canary ? kuratorRollout(where, this.canary, this.testLoader) : undefined,
    };
  }
}
