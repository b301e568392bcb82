import type { IndexedPod } from './manifest-index';

/** The node name label istiod adds to every endpoint. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * Labels istiod adds to every endpoint from the pod's Node (`pilot/pkg/serviceregistry/util/label/
 * label.go` `AugmentLabels`, read by `analyzers/destinationrule/subset.go` too), so DestinationRule
 * subsets may select on them although no pod template carries them.
 */
export const TOPOLOGY_LABELS: readonly string[] = [
  'topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone', HOSTNAME_LABEL,
];

/**
 * Whether a subset's labels select the endpoints of these pods. A topology label comes from the
 * Node and overrides the pod's own; when the manifests do not say which Node the pods run on, its
 * value is unknown and the label is taken to match (the pods may be scheduled there).
 */
export function subsetSelectsPods(subsetLabels: Record<string, string> | undefined, pod: IndexedPod): boolean {
  for (const [key, value] of Object.entries(subsetLabels ?? {})) {
    const topology = TOPOLOGY_LABELS.includes(key);
    const actual = topology && pod.topology[key] !== undefined ? pod.topology[key] : pod.labels[key];
    if (actual === String(value)) {
      continue;
    }
    if (topology && pod.topology[key] === undefined && !pod.nodeKnown) {
      continue;
    }
    return false;
  }
  return true;
}
