import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { VersionModel } from '../model/release-model';
import { VersionWorkload } from '../version-workload';

const LABELLABLE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** The workload a version ended up with. */
export interface VersionWorkloadResult {
  readonly kind: string;
  readonly name: string;
  /** Set when the release created the Deployment. */
  readonly deployment?: kplus.Deployment;
}

/** Overrides for a release handed to Flagger, which watches one workload named after the service. */
export interface WorkloadOverrides {
  readonly name?: string;
  /** Labels the created Deployment selects on (defaults to the version's pod labels). */
  readonly selector?: Record<string, string>;
}

export interface WorkloadContext {
  readonly path: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly metadataLabels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * Creates or labels the workload of one version so its pod template and selector carry the app and
 * version labels. Created Deployments select on those labels only, not on the construct path, so
 * moving the construct never changes the (immutable) selector.
 */
export function applyVersionWorkload(
  scope: Construct, context: WorkloadContext, version: VersionModel, workload: VersionWorkload, overrides: WorkloadOverrides = {},
): VersionWorkloadResult {
  if (workload.containerProps) {
    const { replicas, ...container } = workload.containerProps;
    const name = overrides.name ?? `${context.serviceName}-${version.name}`;
    const deployment = new kplus.Deployment(scope, `Deployment-${version.name}`, {
      metadata: {
        name,
        namespace: context.namespace,
        labels: { ...context.metadataLabels, ...version.podLabels },
        annotations: nonEmpty(context.annotations),
      },
      replicas: replicas ?? 1,
      select: false,
      podMetadata: { labels: version.podLabels },
      containers: [container],
    });
    deployment.select(kplus.LabelSelector.of({ labels: overrides.selector ?? version.podLabels }));
    return { kind: 'Deployment', name, deployment };
  }
  if (workload.workload) {
    labelPlusWorkload(context, version, workload.workload);
    return { kind: workload.workload.kind, name: workload.workload.name };
  }
  labelApiObject(context, version, workload.apiObject!);
  return { kind: workload.apiObject!.kind, name: workload.apiObject!.name };
}

function labelPlusWorkload(context: WorkloadContext, version: VersionModel, workload: kplus.Workload): void {
  if (workload instanceof kplus.Job) {
    throw new Error(`${context.path}: version '${version.name}' cannot use the Job ${workload.node.path}: a release needs a long-running Deployment, StatefulSet or DaemonSet`);
  }
  for (const [key, value] of Object.entries(version.podLabels)) {
    const existing = workload.podMetadata.getLabel(key);
    if (existing !== undefined && existing !== value) {
      throw new Error(`${context.path}: version '${version.name}' cannot label workload ${workload.node.path}: its pods already carry ${key}=${existing}, the release needs ${key}=${value}`);
    }
    workload.podMetadata.addLabel(key, value);
  }
  workload.select(kplus.LabelSelector.of({ labels: version.podLabels }));
}

function labelApiObject(context: WorkloadContext, version: VersionModel, apiObject: ApiObject): void {
  if (!LABELLABLE_KINDS.includes(apiObject.kind)) {
    throw new Error(`${context.path}: version '${version.name}' cannot label ${apiObject.kind} ${apiObject.node.path}: only ${LABELLABLE_KINDS.join(', ')} objects have a pod template to label`);
  }
  const spec = apiObject.toJson().spec ?? {};
  const templateLabels = spec.template?.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(version.podLabels)) {
    if (templateLabels[key] !== undefined && templateLabels[key] !== value) {
      throw new Error(`${context.path}: version '${version.name}' cannot label ${apiObject.kind} ${apiObject.node.path}: its pods already carry ${key}=${templateLabels[key]}, the release needs ${key}=${value}`);
    }
  }
  const patches: JsonPatch[] = [];
  if (!spec.template?.metadata) {
    patches.push(JsonPatch.add('/spec/template/metadata', {}));
  }
  patches.push(JsonPatch.add('/spec/template/metadata/labels', { ...templateLabels, ...version.podLabels }));
  if (!spec.selector) {
    patches.push(JsonPatch.add('/spec/selector', {}));
  }
  patches.push(JsonPatch.add('/spec/selector/matchLabels', { ...(spec.selector?.matchLabels ?? {}), ...version.podLabels }));
  apiObject.addJsonPatch(...patches);
}

function nonEmpty(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}
