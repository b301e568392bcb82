import { IConstruct } from 'constructs';

/** Claimed `entry|host` keys per construct tree, so the check costs one map lookup per host. */
const claimsByRoot = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that the construct `scope` (at `path`) routes `host` on `entry` (a gateway `namespace/name`, or
 * `mesh`) and throws if another release in the same app already does: sidecars keep only the oldest
 * VirtualService for a host and gateways merge them in creation order, so either way one release's
 * routes would silently lose.
 */
export function claimHost(scope: IConstruct, path: string, entry: string, host: string): void {
  const root = scope.node.root;
  let claims = claimsByRoot.get(root);
  if (!claims) {
    claims = new Map();
    claimsByRoot.set(root, claims);
  }
  const key = `${entry}|${host}`;
  const owner = claims.get(key);
  if (owner !== undefined && owner !== path) {
    const where = entry === 'mesh' ? 'in the mesh' : `on gateway ${entry}`;
    throw new Error(`${path}: host '${host}' ${where} is already routed by ${owner}: two VirtualServices for one host ${where} conflict (one is dropped or merged in creation order); give each release its own hosts or service name`);
  }
  claims.set(key, path);
}
