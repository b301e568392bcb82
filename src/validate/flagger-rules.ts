import { Duration } from 'cdk8s';
import { FlaggerAnalysisProps } from '../flagger-analysis';
import { FlaggerMetric } from '../flagger-metric';
import { FlaggerWebhook } from '../flagger-webhook';
import { checkDnsLabel, checkIntegerInRange, checkUnique } from './names';
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
}

const MIN_INTERVAL_SECONDS = 10;

/**
 * Applies defaults and turns Flagger's admission and controller rules into synth-time errors, so a
 * rollout never stalls on a Canary that Flagger refuses.
 */
export function checkFlaggerAnalysis(path: string, strategy: StrategyModel, analysis: FlaggerAnalysisProps): CheckedAnalysis {
  const where = `${path} (flagger)`;
  const interval = analysis.interval ?? Duration.minutes(1);
  const intervalMs = interval.toMilliseconds();
  if (intervalMs < MIN_INTERVAL_SECONDS * 1000) {
    throw new Error(`${where}: interval ${durationString(interval)} is too short: Flagger needs at least ${MIN_INTERVAL_SECONDS}s between checks`);
  }
  const threshold = analysis.threshold ?? 5;
  checkIntegerInRange(where, 'threshold', threshold, 1, 1000);

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
  metrics.forEach((metric) => checkMetric(where, metric));
  checkUnique(where, 'metric', metrics.map((m) => m.name));
  const webhooks = analysis.webhooks ?? [];
  webhooks.forEach((webhook) => checkWebhook(where, webhook));
  checkUnique(where, 'webhook', webhooks.map((w) => w.props.name));

  return { mode, interval: durationString(interval), threshold, iterations, stepWeight, maxWeight, stepWeights, metrics, webhooks };
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

function checkDuration(where: string, what: string, duration: Duration): void {
  if (duration.toMilliseconds() < 1) {
    throw new Error(`${where}: ${what} ${duration.toMilliseconds()}ms is below 1ms: Kubernetes and Istio reject shorter durations`);
  }
}

/** A Go-style duration (`90s`, `250ms`) as Flagger and Istio read it. */
export function durationString(duration: Duration): string {
  const ms = duration.toMilliseconds();
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
