import { Duration } from 'cdk8s';
import { FlaggerAnalysisProps } from '../flagger-analysis';
import { FlaggerMetric } from '../flagger-metric';
import { FlaggerWebhook } from '../flagger-webhook';
import { checkDnsLabel, checkIntegerInRange, checkUnique } from './names';
import { requireArray, requireInstance, requireNumber } from './prop-types';
import { StrategyModel } from '../model/release-model';

/** How Flagger moves traffic, inferred by Flagger from which analysis fields are set. */
export type FlaggerMode = 'blue-green' | 'canary' | 'ab-testing';

/** The analysis with defaults applied and Flagger's own rules checked. */
export interface CheckedAnalysis {
  readonly mode: FlaggerMode;
  readonly interval: string;
  readonly threshold: number;
  readonly iterations?: number;
  readonly stepWeight?: number;
  readonly maxWeight?: number;
  readonly stepWeights?: number[];
  readonly metrics: FlaggerMetric[];
  readonly webhooks: FlaggerWebhook[];
  /** Flagger `progressDeadlineSeconds`, from `rolloutTimeout`. */
  readonly progressDeadlineSeconds?: number;
  /** Flagger `service.timeout`, from `routeTimeout`. */
  readonly routeTimeout?: string;
}

const MIN_INTERVAL_SECONDS = 10;

/**
 * Applies defaults and turns Flagger's admission and controller rules into synth-time errors, so a
 * rollout never stalls on a Canary that Flagger refuses.
 */
export function checkFlaggerAnalysis(path: string, strategy: StrategyModel, analysis: FlaggerAnalysisProps): CheckedAnalysis {
  const where = `${path} (flagger)`;
  for (const key of ['threshold', 'iterations', 'stepWeight', 'maxWeight'] as const) {
    requireNumber(where, key, analysis[key], true);
  }
  const interval = analysis.interval ?? Duration.minutes(1);
  if (checkDuration(where, 'interval', interval) < MIN_INTERVAL_SECONDS * 1000) {
    throw new Error(`${where}: interval ${durationString(interval)} is too short: Flagger needs at least ${MIN_INTERVAL_SECONDS}s between checks`);
  }
  const threshold = analysis.threshold ?? 5;
  checkIntegerInRange(where, 'threshold', threshold, 1, 1000);
  let progressDeadlineSeconds: number | undefined;
  if (analysis.rolloutTimeout !== undefined) {
    const ms = checkDuration(where, 'rolloutTimeout', analysis.rolloutTimeout);
    if (ms % 1000 !== 0) {
      throw new Error(`${where}: rolloutTimeout ${ms}ms is not a whole number of seconds: Flagger's progressDeadlineSeconds takes seconds, e.g. Duration.minutes(10)`);
    }
    progressDeadlineSeconds = ms / 1000;
  }
  const routeTimeout = analysis.routeTimeout !== undefined ? (checkDuration(where, 'routeTimeout', analysis.routeTimeout), durationString(analysis.routeTimeout)) : undefined;

  const mode: FlaggerMode = strategy.kind === 'blue-green' ? 'blue-green' : strategy.forceCanary.length > 0 ? 'ab-testing' : 'canary';
  const weighted = analysis.stepWeight !== undefined || analysis.maxWeight !== undefined || analysis.stepWeights !== undefined;
  let iterations: number | undefined;
  let stepWeight: number | undefined;
  let maxWeight: number | undefined;
  let stepWeights: number[] | undefined;
  if (mode === 'canary') {
    if (analysis.iterations !== undefined) {
      throw new Error(`${where}: iterations ${analysis.iterations} do not apply to a weighted canary: use stepWeight/maxWeight or stepWeights (iterations are for BlueGreen and for a Canary with forceCanary A/B routes)`);
    }
    maxWeight = analysis.maxWeight ?? (analysis.stepWeights ? undefined : 50);
    checkIntegerInRange(where, 'maxWeight', maxWeight ?? 100, 1, 100);
    if (analysis.stepWeights !== undefined) {
      requireArray(where, 'stepWeights', analysis.stepWeights);
      if (analysis.stepWeight !== undefined) {
        throw new Error(`${where}: stepWeight ${analysis.stepWeight} and stepWeights [${analysis.stepWeights.join(', ')}] are both set: choose one`);
      }
      stepWeights = [...analysis.stepWeights];
      if (stepWeights.length === 0) {
        throw new Error(`${where}: stepWeights is empty: give at least one weight from 1 to ${maxWeight ?? 100}`);
      }
      stepWeights.forEach((w, i) => {
        checkIntegerInRange(where, `stepWeights[${i}]`, w, 1, maxWeight ?? 100);
        if (i > 0 && w <= stepWeights![i - 1]) {
          throw new Error(`${where}: stepWeights [${stepWeights!.join(', ')}] must increase: ${w} follows ${stepWeights![i - 1]}`);
        }
      });
    } else {
      stepWeight = analysis.stepWeight ?? 10;
      checkIntegerInRange(where, 'stepWeight', stepWeight, 1, maxWeight!);
    }
  } else {
    if (weighted) {
      const what = mode === 'blue-green' ? 'a BlueGreen release' : 'an A/B release (Canary with forceCanary)';
      throw new Error(`${where}: stepWeight, maxWeight and stepWeights do not apply to ${what}: Flagger sends all matching traffic to the new version for a number of iterations`);
    }
    iterations = analysis.iterations ?? 10;
    checkIntegerInRange(where, 'iterations', iterations, 1, 1000);
  }

  const metrics = analysis.metrics ?? [FlaggerMetric.requestSuccessRate(99), FlaggerMetric.requestDuration(500)];
  requireArray(where, 'metrics', metrics).forEach((metric, i) => {
    requireInstance(where, `metrics[${i}]`, metric, FlaggerMetric, 'a FlaggerMetric (FlaggerMetric.requestSuccessRate, requestDuration or prometheus)');
    checkMetric(where, metric);
  });
  checkUnique(where, 'metric', metrics.map((m) => m.name));
  const webhooks = analysis.webhooks ?? [];
  requireArray(where, 'webhooks', webhooks).forEach((webhook, i) => {
    requireInstance(where, `webhooks[${i}]`, webhook, FlaggerWebhook, 'a FlaggerWebhook (FlaggerWebhook.of or loadTest)');
    checkWebhook(where, webhook);
  });
  checkUnique(where, 'webhook', webhooks.map((w) => w.props.name));

  return {
    mode,
    interval: durationString(interval),
    threshold,
    iterations,
    stepWeight,
    maxWeight,
    stepWeights,
    metrics,
    webhooks,
    progressDeadlineSeconds,
    routeTimeout,
  };
}

/**
 * Flagger's built-in metrics have fixed units: a success rate is a percentage, so a minimum above 100
 * (or a duration limit of zero or less) can never pass and every rollout would roll back.
 */
function checkBuiltInMetric(where: string, metric: FlaggerMetric): void {
  if (metric.prometheusQuery !== undefined) {
    return;
  }
  if (metric.name === 'request-success-rate' && metric.min !== undefined && !(metric.min >= 0 && metric.min <= 100)) {
    throw new Error(`${where}: requestSuccessRate(${metric.min}) can never pass: the success rate is a percentage from 0 to 100, so every rollout would roll back; use e.g. requestSuccessRate(99)`);
  }
  if (metric.name === 'request-duration' && metric.max !== undefined && !(metric.max > 0)) {
    throw new Error(`${where}: requestDuration(${metric.max}) can never pass: request durations are above 0 ms, so every rollout would roll back; use e.g. requestDuration(500)`);
  }
}

function checkMetric(where: string, metric: FlaggerMetric): void {
  checkDnsLabel(where, 'metric name', metric.name);
  if (metric.min === undefined && metric.max === undefined) {
    throw new Error(`${where}: metric '${metric.name}' has no threshold: give min, max or both`);
  }
  for (const [bound, value] of [['min', metric.min], ['max', metric.max]] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new Error(`${where}: metric '${metric.name}' has ${bound} ${value}: must be a finite number`);
    }
  }
  if (metric.min !== undefined && metric.max !== undefined && metric.min > metric.max) {
    throw new Error(`${where}: metric '${metric.name}' has min ${metric.min} above max ${metric.max}: no value could pass`);
  }
  checkBuiltInMetric(where, metric);
  if (metric.interval !== undefined) {
    checkDuration(where, `interval of metric '${metric.name}'`, metric.interval);
  }
  if (metric.prometheusQuery !== undefined) {
    if (typeof metric.prometheusQuery.query !== 'string' || metric.prometheusQuery.query.trim() === '') {
      throw new Error(`${where}: metric '${metric.name}' has an empty query: a custom metric needs a PromQL query`);
    }
    checkUrl(where, `prometheus address of metric '${metric.name}'`, metric.prometheusQuery.address ?? 'http://prometheus.istio-system:9090');
  }
}

function checkWebhook(where: string, webhook: FlaggerWebhook): void {
  const { name, url, timeout } = webhook.props;
  checkDnsLabel(where, 'webhook name', name);
  checkUrl(where, `url of webhook '${name}'`, url);
  if (timeout !== undefined) {
    checkDuration(where, `timeout of webhook '${name}'`, timeout);
  }
}

function checkUrl(where: string, what: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new Error(`${where}: invalid ${what} '${url}': must be an absolute http:// or https:// URL`);
  }
}

/**
 * Checks a cdk8s Duration and returns it in milliseconds. cdk8s throws for NaN or fractional
 * milliseconds without saying where the value came from; the message here names the construct.
 */
function checkDuration(where: string, what: string, duration: Duration): number {
  requireInstance(where, what, duration, Duration, 'a cdk8s Duration, e.g. Duration.seconds(30)');
  let ms: number;
  try {
    ms = duration.toMilliseconds();
  } catch (err: any) {
    throw new Error(`${where}: invalid ${what} (${String(err.message ?? err).replace(/\.$/, '')}): use a whole, finite number of milliseconds, e.g. Duration.seconds(30)`);
  }
  if (ms < 1) {
    throw new Error(`${where}: ${what} ${ms}ms is below 1ms: Kubernetes and Istio reject shorter durations`);
  }
  return ms;
}

/** A Go-style duration (`90s`, `250ms`) as Flagger and Istio read it. */
export function durationString(duration: Duration): string {
  const ms = duration.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
