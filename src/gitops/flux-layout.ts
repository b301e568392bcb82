import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ROUTE_KINDS } from './sync-waves';

/**
 * Splits each chart folder into `base/` (workloads, Services, subsets, gateways) and `routes/`
 * (VirtualServices, Flagger Canaries, caller policies), each with a `kustomization.yaml` listing its
 * files, so two Flux Kustomizations can apply them in order: `routes` with `dependsOn` on `base`
 * with `wait`.
 */
export function splitForFlux(files: Map<string, string>): Map<string, string> {
  const result = new Map<string, string>();
  const listed = new Map<string, string[]>();
  for (const [relative, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.ya?ml$/.test(relative)) {
      result.set(relative, content);
      continue;
    }
    const kinds = parseAllDocuments(content).map((d) => d.toJS()?.kind);
    const part = kinds.some((kind) => ROUTE_KINDS.has(kind)) ? 'routes' : 'base';
    const folder = path.join(path.dirname(relative), part);
    result.set(path.join(folder, path.basename(relative)), content);
    listed.set(folder, [...(listed.get(folder) ?? []), path.basename(relative)]);
  }
  for (const [folder, names] of listed) {
    result.set(path.join(folder, 'kustomization.yaml'), kustomization(names));
  }
  return result;
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
