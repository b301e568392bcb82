import { ApiObject, JsonPatch, Size } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { cdk8sPlus } from './cdk8s-plus';
import { VersionModel } from '../model/release-model';
import { ServiceVersion, VersionWorkload } from '../version-workload';

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
  /** The Service's target ports: the ports the containers must listen on. */
  readonly targetPorts: number[];
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
    const { replicas, ...declared } = workload.containerProps;
    const container = withLibraryDefaults(context, version.name, declared);
    const name = overrides.name ?? `${context.serviceName}-${version.name}`;
    const deployment = new (cdk8sPlus().Deployment)(scope, `Deployment-${version.name}`, {
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
    deployment.select(cdk8sPlus().LabelSelector.of({ labels: overrides.selector ?? version.podLabels }));
    return { kind: 'Deployment', name, deployment };
  }
  if (workload.workload) {
    labelPlusWorkload(context, version, workload.workload);
    return { kind: workload.workload.kind, name: workload.workload.name };
  }
  labelApiObject(context, version, workload.apiObject!);
  return { kind: workload.apiObject!.kind, name: workload.apiObject!.name };
}

/** The user id containers run as when they must not run as root and name no user: `nobody`. */
export const DEFAULT_USER_ID = 65534;

/** Requests and limits of a container that declares no resources. */
export function defaultResources(): kplus.ContainerResources {
  const { Cpu } = cdk8sPlus();
  return {
    cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
  };
}

/**
 * Fills in what cdk8s-plus would otherwise default to values that stop pods from starting or
 * oversize them: a numeric non-root user (the kubelet refuses `runAsNonRoot` without one for images
 * that run as root or name their user), small resources, Kubernetes' own pull policy, and the
 * Service's target ports. A container port the Service never forwards to is an error.
 */
function withLibraryDefaults(context: WorkloadContext, version: string, props: kplus.ContainerProps): kplus.ContainerProps {
  const declaredPorts = [props.portNumber ?? props.port, ...(props.ports ?? []).map((p) => p.number)].filter((p): p is number => p !== undefined);
  let ports: Partial<kplus.ContainerProps> = {};
  if (declaredPorts.length === 0) {
    const [first, ...rest] = context.targetPorts;
    ports = { portNumber: first, ports: rest.length > 0 ? rest.map((number) => ({ number })) : undefined };
  } else {
    const missing = context.targetPorts.filter((port) => !declaredPorts.includes(port));
    if (missing.length > 0) {
      throw new Error(`${context.path}: the container of version '${version}' listens on ${declaredPorts.join(', ')}, but the Service forwards to targetPort ${missing.join(', ')}, where nothing listens: set targetPort: ${declaredPorts[0]} on the Service port, or portNumber: ${missing[0]} on the container`);
    }
  }
  const security = props.securityContext ?? {};
  const needsUser = (security.ensureNonRoot ?? true) && security.user === undefined;
  return {
    ...props,
    ...ports,
    securityContext: needsUser ? { ...security, user: DEFAULT_USER_ID, group: security.group ?? DEFAULT_USER_ID } : security,
    resources: props.resources ?? defaultResources(),
    imagePullPolicy: props.imagePullPolicy ?? defaultPullPolicy(props.image),
  };
}

/** Kubernetes' own default: `Always` for an untagged or `:latest` image, else `IfNotPresent`. */
function defaultPullPolicy(image: string): kplus.ImagePullPolicy {
  if (typeof image === 'string' && !image.includes('@')) {
    const lastPart = image.slice(image.lastIndexOf('/') + 1);
    const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
    if (tag === undefined || tag === 'latest') {
      return cdk8sPlus().ImagePullPolicy.ALWAYS;
    }
  }
  return cdk8sPlus().ImagePullPolicy.IF_NOT_PRESENT;
}

function labelPlusWorkload(context: WorkloadContext, version: VersionModel, workload: kplus.Workload): void {
  if (workload instanceof cdk8sPlus().Job) {
    throw new Error(`${context.path}: version '${version.name}' cannot use the Job ${workload.node.path}: a release needs a long-running Deployment, StatefulSet or DaemonSet`);
  }
  for (const [key, value] of Object.entries(version.podLabels)) {
    const existing = workload.podMetadata.getLabel(key);
    if (existing !== undefined && existing !== value) {
      throw new Error(`${context.path}: version '${version.name}' cannot label workload ${workload.node.path}: its pods already carry ${key}=${existing}, the release needs ${key}=${value}`);
    }
    workload.podMetadata.addLabel(key, value);
  }
  workload.select(cdk8sPlus().LabelSelector.of({ labels: version.podLabels }));
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

/** Creates or labels the workload of every version that declares one; returns the Deployments created. */
export function emitVersionWorkloads(
  scope: Construct, context: WorkloadContext, versions: VersionModel[], declared: ServiceVersion[],
): kplus.Deployment[] {
  const deployments: kplus.Deployment[] = [];
  declared.forEach((version, index) => {
    const deployment = version.workload && applyVersionWorkload(scope, context, versions[index], version.workload).deployment;
    if (deployment) {
      deployments.push(deployment);
    }
  });
  return deployments;
}
