import { clusterFolder } from './delivery-context';
import { FleetCluster } from './fleet-cluster';
import { ClusterReleaseValues, FleetRelease } from './fleet-release';
import { markdownCell } from '../plan/escape';
import { TrafficPlan } from '../plan/traffic-plan';

/** The fleet's plan at the root of its output: stages, clusters, and each release's settings per cluster. */
export const FLEET_PLAN = 'FLEET.md';

/** The machine-readable record of how far each staged rollout has come, one comment line each. */
const REACHED = /^<!-- rollout (\S+) reached (\S+) -->$/;

/** Everything FLEET.md is written from. */
export interface FleetPlanInput {
  readonly name: string;
  readonly stageNames: string[];
  readonly clusters: FleetCluster[];
  readonly releases: FleetRelease[];
  /** Relative paths of the traffic plans written, to link them. */
  readonly trafficPlans: string[];
}

/**
 * FLEET.md: the stages in order, who runs what in every cluster (with links to each cluster's
 * TRAFFIC.md), and the staged rollouts with the stage each has reached.
 */
export function fleetPlan(input: FleetPlanInput): string {
  const lines = [`# Fleet ${input.name}`, '', `Stages, promoted in this order: ${input.stageNames.map((s) => `**${s}**`).join(' → ')}.`, ''];
  lines.push('| Stage | Cluster | Release | Active version | Canary weight | Hosts | Replicas | Traffic plan |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const cluster of input.clusters) {
    const plans = input.trafficPlans.filter((p) => p.startsWith(`${clusterFolder(cluster.name)}/`));
    const links = plans.map((p) => `[${p.split('/')[2]}](${p})`).join(', ') || '–';
    const releases = input.releases.length > 0 ? input.releases : [undefined];
    for (const release of releases) {
      const v: ClusterReleaseValues = release?.valuesFor(cluster) ?? {};
      lines.push(`| ${cluster.stage} | ${cluster.name} | ${release?.node.id ?? '–'} | ${cell(v.activeVersion)} | ${cell(v.canaryWeight === undefined ? undefined : `${v.canaryWeight}%`)} | ${cell(v.hosts?.join(' '))} | ${cell(v.replicas)} | ${links} |`);
    }
  }
  const staged = input.releases.filter((r) => r.rollout);
  if (staged.length > 0) {
    lines.push('', '## Staged rollouts', '', '| Release | Setting | From | To | Reached |', '|---|---|---|---|---|');
    for (const release of staged) {
      const r = release.rollout!;
      const index = release.reachedStageIndex!;
      const reached = index < 0 ? 'no stage yet' : `${input.stageNames[index]} (${index + 1} of ${input.stageNames.length} stages)`;
      lines.push(`| ${release.node.id} | ${r.setting} | ${cell(r._from)} | ${cell(r._to)} | ${reached} |`);
    }
    lines.push('');
    for (const release of staged) {
      const index = release.reachedStageIndex!;
      lines.push(`<!-- rollout ${release.node.id} reached ${index < 0 ? '-' : input.stageNames[index]} -->`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The stage each staged rollout had reached in a FLEET.md ('-' for none). */
export function reachedStages(plan: string): Map<string, string> {
  const reached = new Map<string, string>();
  for (const line of plan.split('\n')) {
    const match = REACHED.exec(line.trim());
    if (match) {
      reached.set(match[1], match[2]);
    }
  }
  return reached;
}

/** Whether a relative path is a chart's traffic plan. */
export function isTrafficPlan(file: string): boolean {
  return file.endsWith(`/${TrafficPlan.FILE_NAME}`);
}

function cell(value: unknown): string {
  return value === undefined ? '–' : markdownCell(String(value));
}
