import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { goDuration } from './go-duration';
import { KuratorSyncPolicy } from './kurator-sync-policy';
import { Application } from '../../imports/apps.kurator.dev';

/**
 * The Git repository a Kurator Application syncs.
 */
export interface KuratorGitSourceProps {
  /** The repository URL (`https://`, `http://` or `ssh://`). */
  readonly url: string;

  /**
   * The branch to sync.
   *
   * @default 'main'
   */
  readonly branch?: string;

  /**
   * How often the repository is fetched.
   *
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * How long one fetch may take.
   *
   * @default - Kurator's default, 60 seconds
   */
  readonly timeout?: Duration;
}

/**
 * Properties of a Kurator Application.
 */
export interface KuratorApplicationProps {
  /**
   * The Application's name.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The Application's namespace on the Kurator host cluster.
   *
   * @default 'default'
   */
  readonly namespace?: string;

  /** The Git repository Kurator syncs. */
  readonly source: KuratorGitSourceProps;

  /** The folders Kurator applies, each to a fleet, in order. */
  readonly syncPolicies: KuratorSyncPolicy[];
}

/**
 * A Kurator (`apps.kurator.dev/v1alpha1`) Application: Kurator syncs folders of a Git repository to
 * the clusters of its fleets and, for a release handed to Flagger, creates the Flagger Canary in
 * every cluster from the rollout policy (`KuratorSyncPolicy.rollout`). It belongs on the Kurator host
 * cluster, so put it in a chart of its own, apart from what the member clusters apply.
 */
export class KuratorApplication extends Construct {
  /** The Application object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: KuratorApplicationProps) {
    super(scope, id);
    const where = this.node.path;
    if (props.syncPolicies.length === 0) {
      throw new Error(`${where}: syncPolicies is empty: give at least one KuratorSyncPolicy`);
    }
    const source = props.source;
    this.apiObject = new Application(this, 'Resource', {
      metadata: { name: props.name ?? id, namespace: props.namespace ?? 'default' },
      spec: {
        source: {
          gitRepository: {
            interval: goDuration(where, 'source interval', source.interval ?? Duration.minutes(1)),
            ref: { branch: source.branch ?? 'main' },
            timeout: source.timeout === undefined ? undefined : goDuration(where, 'source timeout', source.timeout),
            url: source.url,
          },
        },
        syncPolicies: props.syncPolicies.map((policy, i) => policy._render(`${where} (syncPolicies[${i}])`)),
      },
    });
  }
}
