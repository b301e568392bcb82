import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { clusterFolder, DeliveryContext, repoFolder } from './delivery-context';
import { FleetCluster } from './fleet-cluster';
import { Application, ApplicationSpec, toJson_ApplicationSpec } from '../../imports/argoproj.io';
import { SYNC_WAVE_ANNOTATION } from '../gitops/sync-waves';

/** How the ArgoCD objects reach the repository and the clusters. */
export interface ArgoCdOptions {
  readonly repoUrl: string;
  readonly repoPath: string;
  readonly targetRevision: string;
  readonly project: string;
  readonly namespace: string;
  readonly automatedSync: boolean;
}

/** The label that carries a generated Application's stage. */
export const STAGE_LABEL = 'cdk8s-istio-traffic/stage';

/**
 * One ArgoCD Application per cluster, syncing the cluster's folder (every `.k8s.yaml` below it, so
 * the objects' own sync waves order them within the cluster) and carrying its stage as a label and
 * as a sync wave, so an app of apps syncs the stages in order.
 */
export function argoCdApplications(scope: Construct, context: DeliveryContext, options: ArgoCdOptions): void {
  for (const cluster of context.clusters) {
    new Application(scope, cluster.name, {
      metadata: {
        name: `${context.fleetName}-${cluster.name}`,
        namespace: options.namespace,
        labels: { [STAGE_LABEL]: cluster.stage },
        annotations: { [SYNC_WAVE_ANNOTATION]: String(cluster.stageIndex) },
      },
      spec: applicationSpec(options, repoFolder(options.repoPath, clusterFolder(cluster.name), false), destinationOf(cluster)),
    });
  }
}

/** Which generator makes the ApplicationSet's Applications. */
export enum ApplicationSetGenerator {
  /** One element per declared cluster, with its destination and stage. */
  LIST = 'list',
  /**
   * One Application per folder of `clusters/` in Git; the folder name is the ArgoCD cluster name, so
   * every cluster must be addressed by its own name.
   */
  GIT_DIRECTORIES = 'git-directories',
}

/**
 * One ArgoCD ApplicationSet for the fleet. With the list generator and `progressiveSync`, ArgoCD's
 * RollingSync strategy syncs the stages one after the other.
 */
export function argoCdApplicationSet(scope: Construct, context: DeliveryContext, options: ArgoCdOptions,
  generator: ApplicationSetGenerator, progressiveSync: boolean): void {
  const where = `ArgoCD ApplicationSet ${context.fleetName}`;
  let generators: any[];
  let template: { name: string; path: string; destination: ApplicationSpec['destination']; labels?: Record<string, string> };
  if (generator === ApplicationSetGenerator.GIT_DIRECTORIES) {
    const renamed = context.clusters.find((c) => c.props.argoCdServer !== undefined || (c.props.argoCdName ?? c.name) !== c.name);
    if (renamed) {
      throw new Error(`${where}: cluster '${renamed.name}' is addressed in ArgoCD as '${renamed.props.argoCdServer ?? renamed.props.argoCdName}', but the Git directory generator names the destination after the folder 'clusters/${renamed.name}'; use ApplicationSetGenerator.LIST or remove argoCdName/argoCdServer`);
    }
    if (progressiveSync) {
      throw new Error(`${where}: progressiveSync needs the stage of each Application, which the Git directory generator does not know; use ApplicationSetGenerator.LIST`);
    }
    generators = [{ git: { repoURL: options.repoUrl, revision: options.targetRevision, directories: [{ path: repoFolder(options.repoPath, clusterFolder('*'), false) }] } }];
    template = { name: `${context.fleetName}-{{.path.basename}}`, path: '{{.path.path}}', destination: { name: '{{.path.basename}}' } };
  } else {
    const byServer = context.clusters.filter((c) => c.props.argoCdServer !== undefined);
    if (byServer.length > 0 && byServer.length < context.clusters.length) {
      throw new Error(`${where}: clusters ${byServer.map((c) => `'${c.name}'`).join(', ')} are addressed by argoCdServer and the others by name; one ApplicationSet template uses one of them: give every cluster argoCdServer or none`);
    }
    const server = byServer.length > 0;
    generators = [{
      list: {
        elements: context.clusters.map((c) => ({
          cluster: c.name,
          stage: c.stage,
          path: repoFolder(options.repoPath, clusterFolder(c.name), false),
          ...(server ? { server: c.props.argoCdServer } : { destination: c.props.argoCdName ?? c.name }),
        })),
      },
    }];
    template = {
      name: `${context.fleetName}-{{.cluster}}`,
      path: '{{.path}}',
      destination: server ? { server: '{{.server}}' } : { name: '{{.destination}}' },
      labels: { [STAGE_LABEL]: '{{.stage}}' },
    };
  }
  const strategy = progressiveSync ? {
    type: 'RollingSync',
    rollingSync: { steps: context.stageNames.map((stage) => ({ matchExpressions: [{ key: STAGE_LABEL, operator: 'In', values: [stage] }] })) },
  } : undefined;
  new ApiObject(scope, 'ApplicationSet', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: context.fleetName, namespace: options.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators,
      strategy,
      template: {
        metadata: { name: template.name, labels: template.labels },
        // RollingSync syncs the Applications itself and ignores automated sync in the template.
        spec: toJson_ApplicationSpec(applicationSpec(
          { ...options, automatedSync: options.automatedSync && !progressiveSync }, template.path, template.destination)),
      },
    },
  });
}

function destinationOf(cluster: FleetCluster): ApplicationSpec['destination'] {
  return cluster.props.argoCdServer !== undefined ? { server: cluster.props.argoCdServer } : { name: cluster.props.argoCdName ?? cluster.name };
}

function applicationSpec(options: ArgoCdOptions, path: string, destination: ApplicationSpec['destination']): ApplicationSpec {
  return {
    project: options.project,
    source: {
      repoUrl: options.repoUrl,
      targetRevision: options.targetRevision,
      path,
      // Only the object files: the folder also holds kustomization.yaml files for Flux and TRAFFIC.md.
      directory: { recurse: true, include: '*.k8s.yaml' },
    },
    destination,
    syncPolicy: options.automatedSync ? { automated: { prune: true, selfHeal: true } } : undefined,
  };
}
