import { Construct } from 'constructs';
import { clusterFolder, DeliveryContext, repoFolder } from './delivery-context';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { FLUX_BASE, FLUX_ROUTES } from '../gitops/flux-layout';

/** How the Flux objects reach the repository and the clusters. */
export interface FluxOptions {
  readonly gitRepository: string;
  readonly gitRepositoryNamespace?: string;
  readonly repoPath: string;
  readonly namespace: string;
  readonly interval: string;
}

/**
 * Two Flux Kustomizations per cluster and chart: `base` (workloads, Services, subsets, gateways),
 * applied with `wait` so it counts as ready only once they are, and `routes` (VirtualServices,
 * Flagger Canaries), which `dependsOn` it. Both reach the cluster through its kubeconfig Secret.
 */
export function fluxKustomizations(scope: Construct, context: DeliveryContext, options: FluxOptions): void {
  for (const cluster of context.clusters) {
    const kubeConfig = { secretRef: { name: cluster.props.fluxKubeConfigSecret ?? `${cluster.name}-kubeconfig` } };
    for (const chart of context.charts.get(cluster.name) ?? []) {
      const name = (part: string) => `${context.fleetName}-${cluster.name}-${chart.name}-${part}`;
      const spec = (part: string) => ({
        interval: options.interval,
        path: repoFolder(options.repoPath, `${clusterFolder(cluster.name)}/${chart.name}/${part}`, true),
        prune: true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: options.gitRepository, namespace: options.gitRepositoryNamespace },
        kubeConfig,
      });
      if (chart.base.length > 0) {
        new Kustomization(scope, name(FLUX_BASE), {
          metadata: { name: name(FLUX_BASE), namespace: options.namespace },
          spec: { ...spec(FLUX_BASE), wait: true },
        });
      }
      if (chart.routes.length > 0) {
        new Kustomization(scope, name(FLUX_ROUTES), {
          metadata: { name: name(FLUX_ROUTES), namespace: options.namespace },
          spec: { ...spec(FLUX_ROUTES), dependsOn: chart.base.length > 0 ? [{ name: name(FLUX_BASE) }] : undefined },
        });
      }
    }
  }
}
