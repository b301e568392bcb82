import {
  CanarySpec, CanarySpecAnalysis, CanarySpecAnalysisMatch, CanarySpecAnalysisMetrics, CanarySpecAnalysisWebhooksType,
  CanarySpecServiceMatch, CanarySpecServiceTrafficPolicyTlsMode, CanarySpecTargetRefKind, MetricTemplateSpec, MetricTemplateSpecProviderType,
} from '../../imports/flagger.app';
import { headerMatches, uriMatch } from '../model/istio-match';
import { HttpMatchModel, ServiceModel, StrategyModel } from '../model/release-model';
import { CheckedAnalysis, durationString } from '../validate/flagger-rules';

export interface FlaggerTarget {
  readonly kind: 'Deployment' | 'DaemonSet';
  readonly name: string;
}

export interface MetricTemplateDefinition {
  readonly name: string;
  readonly spec: MetricTemplateSpec;
}

/**
 * Writes a release as a Flagger Canary: the same service, hosts and gateways as the static output,
 * with the strategy's traffic rules expressed as Flagger analysis settings.
 */
export function flaggerCanarySpec(service: ServiceModel, strategy: StrategyModel, analysis: CheckedAnalysis, target: FlaggerTarget): CanarySpec {
  const port = service.ports[0];
  const gateways = [...(service.gateway ? [service.gateway] : []), ...(service.meshRouting ? ['mesh'] : [])];
  const canary = strategy.kind === 'canary' ? strategy : undefined;
  return {
    targetRef: { apiVersion: 'apps/v1', kind: targetKind(target.kind), name: target.name },
    progressDeadlineSeconds: analysis.progressDeadlineSeconds,
    service: {
      port: port.port,
      targetPort: port.targetPort,
      portName: port.name,
      gateways,
      hosts: service.externalHosts.length > 0 ? service.externalHosts : undefined,
      match: canary && canary.split.length > 0 ? canary.split.map(serviceMatch) : undefined,
      timeout: analysis.routeTimeout,
      trafficPolicy: { tls: { mode: CanarySpecServiceTrafficPolicyTlsMode.ISTIO_UNDERSCORE_MUTUAL } },
    },
    analysis: analysisSpec(service, analysis, canary),
  };
}

function analysisSpec(service: ServiceModel, a: CheckedAnalysis, canary: Extract<StrategyModel, { kind: 'canary' }> | undefined): CanarySpecAnalysis {
  const mirrorPercentage = canary?.mirrorPercentage !== undefined && canary.mirrorPercentage > 0 ? canary.mirrorPercentage : undefined;
  return {
    interval: a.interval,
    threshold: a.threshold,
    iterations: a.iterations,
    stepWeight: a.stepWeight,
    maxWeight: a.maxWeight,
    stepWeights: a.stepWeights,
    match: a.mode === 'ab-testing' ? canary!.forceCanary.map(analysisMatch) : undefined,
    mirror: mirrorPercentage !== undefined ? true : undefined,
    mirrorWeight: mirrorPercentage,
    sessionAffinity: canary?.sticky ? { cookieName: canary.sticky.cookieName, maxAge: canary.sticky.maxAgeSeconds } : undefined,
    metrics: a.metrics.map((m): CanarySpecAnalysisMetrics => ({
      name: m.name,
      interval: m.interval ? durationString(m.interval) : a.interval,
      thresholdRange: { min: m.min, max: m.max },
      templateRef: m.prometheusQuery ? { name: m.name, namespace: service.namespace } : undefined,
    })),
    webhooks: a.webhooks.length > 0 ? a.webhooks.map(({ props: w }) => ({
      name: w.name,
      type: w.type as unknown as CanarySpecAnalysisWebhooksType,
      url: w.url,
      timeout: w.timeout ? durationString(w.timeout) : '60s',
      metadata: w.metadata,
    })) : undefined,
  };
}

/** The MetricTemplates the analysis refers to (custom Prometheus metrics). */
export function metricTemplates(analysis: CheckedAnalysis): MetricTemplateDefinition[] {
  return analysis.metrics.filter((m) => m.prometheusQuery).map((m) => ({
    name: m.name,
    spec: {
      provider: { type: MetricTemplateSpecProviderType.PROMETHEUS, address: m.prometheusQuery!.address ?? 'http://prometheus.istio-system:9090' },
      query: m.prometheusQuery!.query,
    },
  }));
}

function serviceMatch(match: HttpMatchModel): CanarySpecServiceMatch {
  return { uri: uriMatch(match), headers: headerMatches(match) };
}

function analysisMatch(match: HttpMatchModel): CanarySpecAnalysisMatch {
  return { headers: headerMatches(match), sourceLabels: match.sourceLabels };
}

function targetKind(kind: FlaggerTarget['kind']): CanarySpecTargetRefKind {
  return kind === 'Deployment' ? CanarySpecTargetRefKind.DEPLOYMENT : CanarySpecTargetRefKind.DAEMON_SET;
}
