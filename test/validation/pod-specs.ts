/**
 * Checks that a pod spec would start under the Kubernetes rules the library's defaults are chosen
 * for: a numeric, non-root user wherever `runAsNonRoot` is set (the kubelet refuses it otherwise for
 * images that run as root or name their user), and requests and limits that a scheduler can place.
 */

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** The defaults README "Pods that start" documents for containers the library creates. */
export const DOCUMENTED_RESOURCES = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

export interface PodContainer {
  readonly workload: string;
  readonly container: any;
}

/** Every container of every workload in the manifests, named `Kind/name container`. */
export function containersOf(manifests: any[]): PodContainer[] {
  return manifests.filter((m) => WORKLOAD_KINDS.includes(m?.kind)).flatMap((m) => {
    const pod = m.spec?.template?.spec ?? {};
    return [...(pod.initContainers ?? []), ...(pod.containers ?? [])].map((container: any) => ({
      workload: `${m.kind}/${m.metadata?.name} ${container.name}`,
      container: { ...container, podSecurityContext: pod.securityContext ?? {} },
    }));
  });
}

/** Why a container would not start or not be scheduled; empty when it would. */
export function podProblems(manifests: any[]): string[] {
  const problems: string[] = [];
  for (const { workload, container } of containersOf(manifests)) {
    const own = container.securityContext ?? {};
    const pod = container.podSecurityContext;
    const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
    const user = own.runAsUser ?? pod.runAsUser;
    if (nonRoot === true && !(Number.isInteger(user) && user > 0)) {
      problems.push(`${workload}: runAsNonRoot without a numeric non-root runAsUser (got ${user})`);
    }
    const { requests = {}, limits = {} } = container.resources ?? {};
    for (const resource of ['cpu', 'memory']) {
      if (requests[resource] === undefined) {
        problems.push(`${workload}: no ${resource} request`);
      } else if (limits[resource] !== undefined && quantity(requests[resource]) > quantity(limits[resource])) {
        problems.push(`${workload}: ${resource} request ${requests[resource]} above limit ${limits[resource]}`);
      }
    }
    if (limits.memory === undefined) {
      problems.push(`${workload}: no memory limit`);
    }
  }
  return problems;
}

const UNITS: Record<string, number> = { 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'Ki': 1024, 'Mi': 1024 ** 2, 'Gi': 1024 ** 3, 'Ti': 1024 ** 4 };

function quantity(value: string | number): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  if (!match || UNITS[match[2]] === undefined) {
    throw new Error(`cannot read quantity '${value}'`);
  }
  return Number(match[1]) * UNITS[match[2]];
}
