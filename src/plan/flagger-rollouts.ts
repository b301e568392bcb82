import { markdownCell } from './escape';
import { PlanFlaggerRollout } from './flagger-rollout';
import { describeHttpMatches } from './match-words';
import { shortHost } from './rule-words';

const FLAGGER_CANARY = /^flagger\.app\//;

/** The Flagger Canaries among the manifests, described in the plan's words. */
export function flaggerRollouts(manifests: any[]): PlanFlaggerRollout[] {
  return manifests
    .filter((m) => FLAGGER_CANARY.test(String(m?.apiVersion)) && m?.kind === 'Canary' && m.spec)
    .map((m) => describeRollout(m))
    .sort((a, b) => a.canary.localeCompare(b.canary));
}

function describeRollout(canary: any): PlanFlaggerRollout {
  const namespace = canary.metadata?.namespace ?? 'default';
  const spec = canary.spec;
  const service = spec.service ?? {};
  const analysis = spec.analysis ?? {};
  const name = service.name ?? spec.targetRef?.name ?? canary.metadata?.name;
  const mode = analysis.match ? 'A/B testing' : analysis.iterations !== undefined ? 'blue/green' : 'canary';
  const interval = analysis.interval ?? '1m';
  const words: string[] = [
    `a check every ${interval}; rollback after ${analysis.threshold ?? 'the default number of'} failed checks`,
    ...(analysis.metrics ?? []).map((metric: any) => `metric ${metric.name}${range(metric.thresholdRange)}`),
    ...(analysis.webhooks ?? []).map((hook: any) => `webhook ${hook.name} (${hook.type ?? 'rollout'}) ${hook.url}`),
  ];
  if (spec.progressDeadlineSeconds !== undefined) {
    words.push(`rollback when the new version makes no progress for ${spec.progressDeadlineSeconds}s`);
  }
  if (service.timeout !== undefined) {
    words.push(`route timeout ${service.timeout}`);
  }
  return {
    canary: `${namespace}/${canary.metadata?.name}`,
    target: `${spec.targetRef?.kind ?? 'Deployment'}/${spec.targetRef?.name}`,
    mode,
    hosts: [...(service.hosts ?? []), name],
    gateways: service.gateways && service.gateways.length > 0 ? service.gateways : ['mesh'],
    port: service.port,
    analysis: words,
    steps: steps(name, mode, analysis, service),
  };
}

function range(thresholdRange: any): string {
  const parts: string[] = [];
  if (thresholdRange?.min !== undefined) {
    parts.push(`at least ${thresholdRange.min}`);
  }
  if (thresholdRange?.max !== undefined) {
    parts.push(`at most ${thresholdRange.max}`);
  }
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/** Flagger's own sequence for each mode (Flagger docs, "Deployment strategies"). */
function steps(name: string, mode: string, analysis: any, service: any): string[] {
  const primary = `${name}-primary`;
  const scope = service.match ? `requests matching ${describeHttpMatches(service.match, { atGateway: false })}` : 'all requests';
  const promote = `promote: Flagger copies the new version into ${primary}, which then takes ${scope}`;
  if (mode === 'blue/green') {
    return [
      `${analysis.iterations} checks while ${primary} keeps ${scope}; tests reach the new version at ${name}-canary`,
      promote,
    ];
  }
  if (mode === 'A/B testing') {
    return [
      `${analysis.iterations} checks while requests matching ${describeHttpMatches(analysis.match, { atGateway: false })} reach the new version and the rest stays on ${primary}`,
      promote,
    ];
  }
  const weights: number[] = analysis.stepWeights ?? [];
  if (weights.length === 0) {
    const step = analysis.stepWeight ?? 10;
    for (let w = step; w <= (analysis.maxWeight ?? 50); w += step) {
      weights.push(w);
    }
  }
  return [
    `the new version gets ${weights.map((w) => `${w}%`).join(', ')} of ${scope}, one step per passed check${analysis.mirror ? `; ${analysis.mirrorWeight ?? 100}% mirrored before the first step` : ''}`,
    promote,
  ];
}

/** The rollouts as Markdown, one section each. */
export function renderFlaggerRollouts(rollouts: PlanFlaggerRollout[]): string {
  const lines: string[] = [];
  for (const r of rollouts) {
    lines.push(`## ${markdownCell(r.canary)} (handed to Flagger)`, '');
    lines.push(
      'Flagger owns the routes of this service: it creates the `-primary` workload, the Services, DestinationRules and the VirtualService at runtime and moves traffic itself, so no manifest here routes it.',
      '',
      '| | |',
      '| --- | --- |',
      `| Rolls out | ${markdownCell(r.target)} (${markdownCell(r.mode)}) |`,
      `| Hosts | ${markdownCell(r.hosts.map(shortHost).join(', '))} |`,
      `| Gateways | ${markdownCell(r.gateways.join(', '))} |`,
      `| Port | ${r.port} |`,
      ...r.analysis.map((a, i) => `| ${i === 0 ? 'Analysis' : ''} | ${markdownCell(a)} |`),
      '',
      'Steps:',
      '',
      ...r.steps.map((step, i) => `${i + 1}. ${markdownCell(step)}`),
      '',
    );
  }
  return lines.join('\n');
}
