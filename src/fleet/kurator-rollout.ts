import { seconds } from './go-duration';
import { ApplicationSpecSyncPoliciesRollout } from '../../imports/apps.kurator.dev';

/** Flagger's own metrics, which Kurator names without a MetricTemplate. */
const BUILT_IN_METRICS = new Set(['request-success-rate', 'request-duration']);

/**
 * The Kurator `rollout` block that makes Kurator create the given Flagger Canary: the inverse of
 * Kurator v0.6.0's `pkg/fleet-manager/application/rollout_helper.go` (`renderCanary`,
 * `renderCanaryService`, `renderCanaryAnalysis`), which writes
 *
 * - `rolloutTimeoutSeconds` as `progressDeadlineSeconds`;
 * - `trafficRouting`: `analysisTimes` as `analysis.iterations`, `gateways`, `hosts` and
 *   `timeoutSeconds` as `service.gateways`, `service.hosts`, `service.timeout`, `canaryStrategy` as
 *   the step weights, `match` as the A/B match;
 * - `trafficAnalysis`: `checkIntervalSeconds` and `checkFailedTimes` as `analysis.interval` and
 *   `threshold`, each metric with its interval and threshold range, `sessionAffinity`, and every
 *   `webhooks.command` as one load-test webhook (`type: cmd`) with the one `timeoutSeconds`.
 *
 * What Kurator cannot carry is an error rather than a silent loss: mirroring, per-request split
 * matches, custom Prometheus metrics (no MetricTemplate in its v0.6.0 API) and webhooks other
 * than load-test commands, or load tests with different timeouts.
 *
 * @param canary the Canary as the library writes it (`toJson()`)
 * @param testLoader whether Kurator installs its own load tester for the webhooks
 */
export function kuratorRollout(where: string, canary: any, testLoader: boolean): ApplicationSpecSyncPoliciesRollout {
  const spec = canary.spec ?? {};
  const service = spec.service ?? {};
  const analysis = spec.analysis ?? {};
  const cannot = (what: string) => new Error(`${where}: ${what} cannot be handed to Kurator: its rollout policy (v0.6.0) has no such setting; remove it or deliver the release with ArgoCD or Flux, which apply the Flagger Canary as written`);
  if (analysis.mirror) {
    throw cannot(`mirroring (mirrorPercentage ${analysis.mirrorWeight})`);
  }
  if (service.match) {
    throw cannot('the canary split match (match)');
  }
  const custom = (analysis.metrics ?? []).find((m: any) => !BUILT_IN_METRICS.has(m.name));
  if (custom) {
    throw cannot(`the custom metric '${custom.name}'`);
  }
  const hooks: any[] = analysis.webhooks ?? [];
  const other = hooks.find((h) => h.metadata?.type !== 'cmd' || (h.type ?? 'rollout') !== 'rollout');
  if (other) {
    throw cannot(`the ${other.type} webhook '${other.name}' (only load-test commands, FlaggerWebhook.loadTest)`);
  }
  const timeouts = [...new Set(hooks.map((h) => h.timeout ?? '60s'))];
  if (timeouts.length > 1) {
    throw cannot(`load tests with different timeouts (${timeouts.join(', ')}; Kurator has one timeoutSeconds for all)`);
  }
  const weighted = analysis.stepWeight !== undefined || analysis.maxWeight !== undefined || analysis.stepWeights !== undefined;
  return {
    testLoader: hooks.length > 0 ? testLoader : undefined,
    trafficRoutingProvider: 'istio',
    workload: { apiVersion: spec.targetRef.apiVersion, kind: spec.targetRef.kind, name: spec.targetRef.name, namespace: canary.metadata.namespace },
    serviceName: service.name ?? canary.metadata.name,
    port: service.port,
    rolloutPolicy: {
      trafficRouting: {
        analysisTimes: analysis.iterations,
        timeoutSeconds: seconds(where, service.timeout),
        gateways: service.gateways,
        hosts: service.hosts,
        canaryStrategy: weighted ? { stepWeight: analysis.stepWeight, maxWeight: analysis.maxWeight, stepWeights: analysis.stepWeights } : undefined,
        match: analysis.match,
      },
      trafficAnalysis: {
        checkIntervalSeconds: seconds(where, analysis.interval)!,
        checkFailedTimes: analysis.threshold,
        metrics: (analysis.metrics ?? []).map((m: any) => ({
          name: m.name,
          intervalSeconds: seconds(where, m.interval ?? analysis.interval),
          thresholdRange: m.thresholdRange,
        })),
        sessionAffinity: analysis.sessionAffinity,
        webhooks: hooks.length > 0 ? { timeoutSeconds: seconds(where, timeouts[0]), command: hooks.map((h) => h.metadata.cmd) } : undefined,
      },
      rolloutTimeoutSeconds: spec.progressDeadlineSeconds,
    },
  };
}
