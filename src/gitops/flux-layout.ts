import { PlacedObject } from './object-files';
import { ROUTE_KINDS } from './sync-waves';

/** The Flux layout: objects moved into `base/` or `routes/`, and the kustomization of each part. */
export interface FluxLayout {
  readonly objects: PlacedObject[];
  readonly kustomizations: Map<string, string>;
}

/** The two parts of a chart folder in the Flux layout; `routes` is applied after `base` is ready. */
export const FLUX_BASE = 'base';
export const FLUX_ROUTES = 'routes';

/**
 * Splits each chart folder into `base/` (workloads, Services, subsets, gateways) and `routes/`
 * (VirtualServices, Flagger Canaries, caller policies), each with a `kustomization.yaml` listing its
 * files, so two Flux Kustomizations can apply them in order: `routes` with `dependsOn` on `base`
 * with `wait`.
 */
export function splitForFlux(objects: PlacedObject[]): FluxLayout {
  const listed = new Map<string, string[]>();
  const moved = objects.map((o) => {
    const slash = o.file.indexOf('/');
    const chart = o.file.slice(0, slash);
    const folder = `${chart}/${ROUTE_KINDS.has(o.object.kind) ? FLUX_ROUTES : FLUX_BASE}`;
    const inPart = o.file.slice(slash + 1);
    const resources = listed.get(folder);
    if (resources) {
      resources.push(inPart);
    } else {
      listed.set(folder, [inPart]);
    }
    return { file: `${folder}/${inPart}`, object: o.object };
  });
  const kustomizations = new Map<string, string>();
  for (const [folder, resources] of listed) {
    kustomizations.set(`${folder}/kustomization.yaml`, kustomization(resources));
  }
  return { objects: moved, kustomizations };
}

function kustomization(resources: string[]): string {
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    ...resources.map((name) => `  - ${name}`),
    '',
  ].join('\n');
}
