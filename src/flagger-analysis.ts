import { Duration } from 'cdk8s';
import { FlaggerMetric } from './flagger-metric';
import { FlaggerWebhook } from './flagger-webhook';

/**
 * Hands a release to Flagger: instead of static routes, the library writes the one workload
 * Flagger watches and a Flagger `Canary` that promotes or rolls back from live metrics. A BlueGreen
 * becomes Flagger's blue/green mode (`iterations`), a Canary its progressive mode (`stepWeight`), or
 * its A/B mode (`iterations` with the Canary's `forceCanary` matches) when it has force routes.
 */
export interface FlaggerAnalysisProps {
  /**
   * Time between two checks (at least 10 seconds).
   *
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Failed checks after which Flagger rolls back (at least 1).
   *
   * @default 5
   */
  readonly threshold?: number;

  /**
   * Number of checks before promotion, for blue/green and A/B releases.
   *
   * @default 10
   */
  readonly iterations?: number;

  /**
   * Weight added to the canary at each step, for Canary releases without force routes.
   *
   * @default 10
   */
  readonly stepWeight?: number;

  /**
   * Highest canary weight before promotion (at most 100).
   *
   * @default 50
   */
  readonly maxWeight?: number;

  /**
   * Explicit weights for each step, ascending, each from 1 to `maxWeight`; replaces `stepWeight`.
   *
   * @default - steps of `stepWeight` up to `maxWeight`
   */
  readonly stepWeights?: number[];

  /**
   * Metrics checked at every step.
   *
   * @default - request success rate at least 99 % and request duration at most 500 ms
   */
  readonly metrics?: FlaggerMetric[];

  /**
   * Webhooks called during the rollout (load tests, gates, notifications).
   *
   * @default - none
   */
  readonly webhooks?: FlaggerWebhook[];

  /**
   * How long the new version may take to make progress before Flagger rolls back (Kurator's
   * `rolloutTimeoutSeconds`, written as Flagger's `progressDeadlineSeconds`); whole seconds.
   *
   * @default - Flagger's default, 600 seconds
   */
  readonly rolloutTimeout?: Duration;

  /**
   * Timeout of the HTTP route Flagger writes for the service (Kurator's
   * `trafficRouting.timeoutSeconds`, written as Flagger's `service.timeout`, which becomes the
   * VirtualService `timeout`).
   *
   * @default - no route timeout
   */
  readonly routeTimeout?: Duration;
}
