import { Duration } from 'cdk8s';

/**
 * When Flagger calls a webhook during a rollout.
 *
 * @see https://docs.flagger.app/usage/webhooks
 */
export enum FlaggerWebhookType {
  /** Before any traffic reaches the new version; a failure counts as a failed check. */
  PRE_ROLLOUT = 'pre-rollout',
  /** At every analysis step, e.g. a load test. */
  ROLLOUT = 'rollout',
  /** Gate before the rollout starts; Flagger waits until it answers 200. */
  CONFIRM_ROLLOUT = 'confirm-rollout',
  /** Gate before each weight increase. */
  CONFIRM_TRAFFIC_INCREASE = 'confirm-traffic-increase',
  /** Gate before promotion. */
  CONFIRM_PROMOTION = 'confirm-promotion',
  /** After promotion or rollback. */
  POST_ROLLOUT = 'post-rollout',
  /** Polled during the analysis; answering 200 rolls back. */
  ROLLBACK = 'rollback',
  /** Receives every event Flagger emits. */
  EVENT = 'event',
}

/**
 * Options of a webhook.
 */
export interface FlaggerWebhookProps {
  /** Webhook name, unique within the analysis. */
  readonly name: string;

  /** When Flagger calls it. */
  readonly type: FlaggerWebhookType;

  /** Absolute http or https URL. */
  readonly url: string;

  /**
   * How long Flagger waits for an answer.
   *
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;

  /**
   * Key/value pairs sent in the request body.
   *
   * @default - none
   */
  readonly metadata?: { [key: string]: string };
}

/**
 * Options of a load-test webhook run by the Flagger load tester.
 */
export interface FlaggerLoadTestProps {
  /** The command the load tester runs, e.g. `hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/`. */
  readonly command: string;

  /**
   * Webhook name.
   *
   * @default 'load-test'
   */
  readonly name?: string;

  /**
   * The load tester's URL.
   *
   * @default 'http://flagger-loadtester.test/'
   */
  readonly url?: string;

  /**
   * How long Flagger waits for the command.
   *
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
}

/**
 * A webhook Flagger calls during the rollout.
 */
export class FlaggerWebhook {
  /** A webhook of any type. */
  public static of(props: FlaggerWebhookProps): FlaggerWebhook {
    return new FlaggerWebhook({ ...props });
  }

  /** A `rollout` webhook that makes the Flagger load tester run `command` at every step. */
  public static loadTest(props: FlaggerLoadTestProps): FlaggerWebhook {
    return new FlaggerWebhook({
      name: props.name ?? 'load-test',
      type: FlaggerWebhookType.ROLLOUT,
      url: props.url ?? 'http://flagger-loadtester.test/',
      timeout: props.timeout,
      metadata: { type: 'cmd', cmd: props.command },
    });
  }

  private constructor(
    /** The webhook's options. */
    public readonly props: FlaggerWebhookProps,
  ) {}
}
