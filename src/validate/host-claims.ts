import { IConstruct } from 'constructs';

/** Who claims one `entry|host`: the release taking every path, and the mounted ones by first path segment. */
interface HostClaims {
  rest?: string;
  readonly mounts: Map<string, { readonly prefix: string; readonly owner: string }[]>;
}

/** Claims per construct tree, keyed `entry|host`, so the check costs a few map lookups per host. */
const claimsByRoot = new WeakMap<IConstruct, Map<string, HostClaims>>();

/**
 * Records that the construct `scope` (at `path`) routes `host` on `entry` (a gateway `namespace/name`,
 * or `mesh`), under the mount prefix `mount` when given, and throws if another release in the same
 * app already claims an overlapping part: sidecars keep only the oldest VirtualService for a host, so
 * mesh hosts are never shared. Releases may share a gateway host when their mount prefixes are
 * disjoint (whole segments) and at most one of them takes every path. Istio outputs compare gateway
 * claims through the semantics core at synthesis instead (`host-sharing.ts`), which also sees
 * Gateways that select the same pods; this check serves the mesh and the Gateway API output, whose
 * Gateways each get their own pods.
 */
export function claimHost(scope: IConstruct, path: string, entry: string, host: string, mount?: string): void {
  const root = scope.node.root;
  let claims = claimsByRoot.get(root);
  if (!claims) {
    claims = new Map();
    claimsByRoot.set(root, claims);
  }
  const key = `${entry}|${host}`;
  const claim: HostClaims = claims.get(key) ?? { mounts: new Map() };
  claims.set(key, claim);
  const where = entry === 'mesh' ? 'in the mesh' : `on gateway ${entry}`;
  if (mount === undefined) {
    if (claim.rest !== undefined && claim.rest !== path) {
      throw new Error(`${path}: host '${host}' ${where} is already routed by ${claim.rest}: two VirtualServices (or routes) for every path of one host ${where} conflict (one is dropped or merged in creation order); give each release its own hosts or service name, or mount one of them under a pathPrefix`);
    }
    claim.rest = path;
    return;
  }
  const segment = mount.split('/')[1];
  const bucket = claim.mounts.get(segment) ?? [];
  const other = bucket.find((m) => m.owner !== path && (m.prefix === mount || m.prefix.startsWith(`${mount}/`) || mount.startsWith(`${m.prefix}/`)));
  if (other) {
    throw new Error(`${path}: pathPrefix '${mount}' of host '${host}' ${where} overlaps pathPrefix '${other.prefix}' of ${other.owner}: requests under both would be routed by whichever route comes first; give the releases disjoint prefixes`);
  }
  bucket.push({ prefix: mount, owner: path });
  claim.mounts.set(segment, bucket);
}
