import { Duration } from 'cdk8s';

/**
 * A custom Prometheus query checked during the analysis, written as a Flagger MetricTemplate.
 */
export interface PrometheusMetricProps {
  /** The PromQL query; Flagger substitutes `{{ namespace }}`, `{{ target }}`, `{{ interval }}`. */
  readonly query: string;

  /**
   * The Prometheus server.
   *
   * @default 'http://prometheus.istio-system:9090'
   */
  readonly address?: string;

  /**
   * Lowest acceptable value.
   *
   * @default - no lower bound
   */
  readonly min?: number;

  /**
   * Highest acceptable value.
   *
   * @default - no upper bound
   */
  readonly max?: number;

  /**
   * Time window of the query.
   *
   * @default - the analysis interval
   */
  readonly interval?: Duration;
}

/**
 * A metric Flagger checks at every analysis step; a check outside its range counts as failed.
 */
export class FlaggerMetric {
  /**
   * Flagger's built-in `request-success-rate`: the percentage of non-5xx responses must stay at or
   * above `minPercent`.
   */
  public static requestSuccessRate(minPercent: number, interval?: Duration): FlaggerMetric {
    return new FlaggerMetric('request-success-rate', minPercent, undefined, interval, undefined);
  }

  /**
   * Flagger's built-in `request-duration`: the P99 latency must stay at or below
   * `maxMilliseconds`.
   */
  public static requestDuration(maxMilliseconds: number, interval?: Duration): FlaggerMetric {
    return new FlaggerMetric('request-duration', undefined, maxMilliseconds, interval, undefined);
  }

  /**
   * A custom Prometheus query, written as a MetricTemplate next to the Canary.
   *
   * @param name metric and MetricTemplate name (a DNS-1123 label)
   */
  public static prometheus(name: string, props: PrometheusMetricProps): FlaggerMetric {
    return new FlaggerMetric(name, props.min, props.max, props.interval, props);
  }

  private constructor(
    /** The metric name. */
    public readonly name: string,
    /** Lowest acceptable value, if any. */
    public readonly min: number | undefined,
    /** Highest acceptable value, if any. */
    public readonly max: number | undefined,
    /** Query window, if not the analysis interval. */
    public readonly interval: Duration | undefined,
    /** The custom query, for metrics that need a MetricTemplate. */
    public readonly prometheusQuery: PrometheusMetricProps | undefined,
  ) {}
}
