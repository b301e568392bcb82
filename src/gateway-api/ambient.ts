import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MetadataFactory } from '../emit/object-metadata';
import { AmbientOptions } from '../gateway-api-output-options';
import { requireBoolean, requireInstance, requireObject } from '../validate/prop-types';
import { Waypoint } from '../waypoint';
import { GATEWAY_KIND } from './parent-refs';

/** Labels Istio reads in ambient mode (docs/gateway-api-semantics.md §5.1). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';

/** Objects shared by the releases of one app (a waypoint, an enrolled namespace), by kind/namespace/name. */
const sharedByRoot = new WeakMap<IConstruct, Map<string, ApiObject | 'enrolled'>>();

function shared(scope: IConstruct): Map<string, ApiObject | 'enrolled'> {
  const root = scope.node.root;
  let objects = sharedByRoot.get(root);
  if (!objects) {
    objects = new Map();
    sharedByRoot.set(root, objects);
  }
  return objects;
}

/** The ambient set-up of one release: the waypoint it wrote, if any, and the labels of its Service. */
export interface AmbientSetup {
  readonly waypoint?: ApiObject;
  readonly serviceLabels: Record<string, string>;
}

/**
 * Enrols the namespace (if asked), writes the waypoint (once per app, namespace and name) and
 * returns the Service labels that make the waypoint apply the release's mesh routes. Ambient
 * clients reach a Service's routes only through its waypoint, so without these labels the mesh
 * HTTPRoutes would do nothing for them (docs/gateway-api-semantics.md §8 P23).
 */
export function setUpAmbient(scope: Construct, path: string, namespace: string, options: AmbientOptions, metadata: MetadataFactory): AmbientSetup {
  requireObject(path, 'ambient', options);
  requireBoolean(path, 'ambient.enrollNamespace', options.enrollNamespace, true);
  requireInstance(path, 'ambient.waypoint', options.waypoint, Waypoint, 'a Waypoint (Waypoint.create or Waypoint.fromName)', true);
  if (options.enrollNamespace) {
    enrollNamespace(scope, path, namespace);
  }
  const waypoint = options.waypoint ?? Waypoint.create();
  const serviceLabels: Record<string, string> = { [USE_WAYPOINT_LABEL]: waypoint.name };
  if (waypoint.namespace !== undefined && waypoint.namespace !== namespace) {
    serviceLabels[USE_WAYPOINT_NAMESPACE_LABEL] = waypoint.namespace;
  }
  return { waypoint: waypoint.created ? createWaypoint(scope, namespace, waypoint.name, metadata) : undefined, serviceLabels };
}

/**
 * A waypoint is a Gateway of class `istio-waypoint` with exactly one HBONE listener on 15008
 * (istiod rejects other shapes); `waypoint-for: service` because HTTPRoutes act on Service traffic.
 * Written by the first release that asks for it; later ones in the app use it.
 */
function createWaypoint(scope: Construct, namespace: string, name: string, metadata: MetadataFactory): ApiObject | undefined {
  const key = `waypoint|${namespace}/${name}`;
  const objects = shared(scope);
  if (objects.has(key)) {
    return undefined;
  }
  const base = metadata(name);
  // The app label of one release would be wrong on an object every release of the namespace uses.
  const waypoint = new ApiObject(scope, `Waypoint-${name}`, {
    ...GATEWAY_KIND,
    metadata: { name, namespace, labels: { [WAYPOINT_FOR_LABEL]: 'service' }, annotations: base.annotations },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  });
  objects.set(key, waypoint);
  return waypoint;
}

/**
 * Labels the namespace for ambient mode: the Namespace object the app declares gets the label
 * (found once per app and namespace), or one is written. A namespace that injects sidecars is
 * refused: pods with a sidecar are never ambient.
 */
function enrollNamespace(scope: Construct, path: string, namespace: string): void {
  const key = `namespace|${namespace}`;
  const objects = shared(scope);
  if (objects.has(key)) {
    return;
  }
  const declared = scope.node.root.node.findAll()
    .find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace' && c.apiVersion === 'v1' && c.name === namespace);
  if (declared) {
    const injection = declared.metadata.getLabel('istio-injection');
    if (injection === 'enabled') {
      throw new Error(`${path}: namespace '${namespace}' (${declared.node.path}) is labelled istio-injection=enabled, so its pods get sidecars and never join ambient mode: remove that label, or leave ambient.enrollNamespace off and use sidecar mode`);
    }
    declared.metadata.addLabel(DATAPLANE_MODE_LABEL, 'ambient');
    objects.set(key, 'enrolled');
    return;
  }
  objects.set(key, new ApiObject(scope, 'AmbientNamespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, labels: { [DATAPLANE_MODE_LABEL]: 'ambient' } },
  }));
}
