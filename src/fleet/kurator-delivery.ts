import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ChartFolder, clusterFolder, DeliveryContext, repoFolder } from './delivery-context';
import { FleetCluster } from './fleet-cluster';
import { KuratorApplication, KuratorGitSourceProps } from './kurator-application';
import { KuratorSyncPolicy } from './kurator-sync-policy';
import { FLUX_BASE, FLUX_ROUTES } from '../gitops/flux-layout';

/** How the Kurator Application reaches the repository. */
export interface KuratorOptions {
  readonly source: KuratorGitSourceProps;
  readonly repoPath: string;
  readonly namespace: string;
  readonly interval?: Duration;
  readonly testLoader: boolean;
}

/**
 * One Kurator Application for the fleet, with sync policies per cluster: its fleet, selected by its
 * labels when the fleet holds other declared clusters. Each chart's `base/` is one policy; a chart
 * whose `routes/` holds only Flagger Canaries gets the rollout policy on `base/` instead (Kurator
 * creates the Canary), and other `routes/` folders a policy of their own.
 */
export function kuratorApplication(scope: Construct, context: DeliveryContext, options: KuratorOptions): void {
  const where = `Kurator Application ${context.fleetName}`;
  const selectors = clusterSelectors(where, context.clusters);
  const policies: KuratorSyncPolicy[] = [];
  for (const cluster of context.clusters) {
    for (const chart of context.charts.get(cluster.name) ?? []) {
      const place = (part: string) => ({
        fleet: cluster.props.kuratorFleet!,
        clusterSelector: selectors.get(cluster.name),
        path: repoFolder(options.repoPath, `${clusterFolder(cluster.name)}/${chart.name}/${part}`, true),
        interval: options.interval,
      });
      const canaries = chart.routes.filter((o) => o.kind === 'Canary');
      if (canaries.length > 0 && canaries.length < chart.routes.length) {
        throw new Error(`${where}: chart '${chart.name}' of cluster '${cluster.name}' holds a release handed to Flagger beside static routes; Kurator creates the Canary itself, so its routes folder cannot be applied as is: put the Flagger release in a chart of its own`);
      }
      if (canaries.length > 1) {
        throw new Error(`${where}: chart '${chart.name}' of cluster '${cluster.name}' holds ${canaries.length} releases handed to Flagger; a Kurator sync policy rolls out one workload: give each its own chart`);
      }
      if (canaries.length === 1) {
        requireService(where, cluster.name, chart, canaries[0]);
        policies.push(KuratorSyncPolicy._fromCanary(canaries[0], { ...place(FLUX_BASE), testLoader: options.testLoader }));
        continue;
      }
      if (chart.base.length > 0) {
        policies.push(KuratorSyncPolicy.kustomization(place(FLUX_BASE)));
      }
      if (chart.routes.length > 0) {
        policies.push(KuratorSyncPolicy.kustomization(place(FLUX_ROUTES)));
      }
    }
  }
  new KuratorApplication(scope, 'Application', { name: context.fleetName, namespace: options.namespace, source: options.source, syncPolicies: policies });
}

/** How each cluster is told apart in its Kurator fleet: by its labels, when the fleet holds others. */
function clusterSelectors(where: string, clusters: FleetCluster[]): Map<string, { [key: string]: string } | undefined> {
  const byFleet = new Map<string, FleetCluster[]>();
  for (const cluster of clusters) {
    const fleet = cluster.props.kuratorFleet;
    if (fleet === undefined) {
      throw new Error(`${where}: cluster '${cluster.name}' has no kuratorFleet: Kurator syncs to fleets; set kuratorFleet on every cluster`);
    }
    byFleet.set(fleet, [...byFleet.get(fleet) ?? [], cluster]);
  }
  const selectors = new Map<string, { [key: string]: string } | undefined>();
  for (const [fleet, members] of byFleet) {
    for (const cluster of members) {
      const labels = cluster.labels;
      if (members.length > 1) {
        const alsoSelected = members.find((other) => other !== cluster && Object.entries(labels).every(([k, v]) => other.labels[k] === v));
        if (alsoSelected) {
          throw new Error(`${where}: clusters '${cluster.name}' and '${alsoSelected.name}' share Kurator fleet '${fleet}', and the labels of '${cluster.name}' (${JSON.stringify(labels)}) also select '${alsoSelected.name}'; give each cluster a label the others lack`);
        }
      }
      selectors.set(cluster.name, Object.keys(labels).length > 0 ? { ...labels } : undefined);
    }
  }
  return selectors;
}

/**
 * Kurator reads the release's Service before it creates the Canary (`syncRolloutPolicyForCluster` in
 * Kurator v0.6.0's rollout_helper.go requeues until it exists), and a release handed to Flagger
 * writes none: Flagger makes its own at runtime.
 */
function requireService(where: string, cluster: string, chart: ChartFolder, canary: any): void {
  const name = canary.spec?.service?.name ?? canary.metadata?.name;
  const namespace = canary.metadata?.namespace;
  if (!chart.base.some((o) => o.kind === 'Service' && o.metadata?.name === name && (o.metadata?.namespace ?? 'default') === (namespace ?? 'default'))) {
    throw new Error(`${where}: Kurator reads Service ${namespace}/${name} before it creates the Flagger Canary of chart '${chart.name}' in cluster '${cluster}', and the chart has none (Flagger makes its Services at runtime); add a Service '${name}' selecting the workload's pods to the chart (Flagger adopts it), or deliver the release with ArgoCD or Flux`);
  }
}
