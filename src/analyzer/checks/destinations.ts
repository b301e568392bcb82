import { IndexedObject } from '../../semantics/manifest-index';

/** A `destination` (or mirror host) of a VirtualService with its location in the object. */
export interface DestinationRef {
  readonly path: string;
  readonly destination: any;
  /** http rules on gateways without a port go to the request's port (§2); tcp rules name theirs. */
  readonly http: boolean;
}

/** Every route destination and mirror of a VirtualService, in spec order. */
export function destinationsOf(vs: IndexedObject): DestinationRef[] {
  const out: DestinationRef[] = [];
  for (const list of ['http', 'tcp', 'tls'] as const) {
    const rules = Array.isArray(vs.spec[list]) ? vs.spec[list] : [];
    rules.forEach((rule: any, i: number) => {
      const routes = Array.isArray(rule?.route) ? rule.route : [];
      routes.forEach((r: any, j: number) => {
        if (r?.destination) {
          out.push({ path: `spec.${list}[${i}].route[${j}].destination`, destination: r.destination, http: list === 'http' });
        }
      });
      if (list !== 'http') {
        return;
      }
      if (rule?.mirror) {
        out.push({ path: `spec.http[${i}].mirror`, destination: rule.mirror, http: true });
      }
      (Array.isArray(rule?.mirrors) ? rule.mirrors : []).forEach((m: any, k: number) => {
        if (m?.destination) {
          out.push({ path: `spec.http[${i}].mirrors[${k}].destination`, destination: m.destination, http: true });
        }
      });
    });
  }
  return out;
}
