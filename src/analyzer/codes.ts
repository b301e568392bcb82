import { FindingSeverity } from './finding';

/** Every code the analyzer can report, with its default severity and a short title. */
export const CODES = {
  IST0101: { severity: FindingSeverity.ERROR, title: 'referenced resource not found' },
  IST0106: { severity: FindingSeverity.ERROR, title: 'schema validation error (regex)' },
  IST0109: { severity: FindingSeverity.ERROR, title: 'conflicting mesh VirtualService hosts' },
  IST0112: { severity: FindingSeverity.ERROR, title: 'destination port required' },
  IST0118: { severity: FindingSeverity.INFO, title: 'port name without protocol' },
  IST0127: { severity: FindingSeverity.WARNING, title: 'no matching workloads' },
  IST0130: { severity: FindingSeverity.WARNING, title: 'unreachable VirtualService rule' },
  IST0131: { severity: FindingSeverity.INFO, title: 'ineffective VirtualService match' },
  IST0132: { severity: FindingSeverity.WARNING, title: 'VirtualService host not found in gateway' },
  IST0140: { severity: FindingSeverity.WARNING, title: 'route rules have no effect on ingress gateway requests' },
  IST0145: { severity: FindingSeverity.ERROR, title: 'conflicting gateways' },
  IST0150: { severity: FindingSeverity.WARNING, title: 'invalid port name for an ExternalName service' },
  IST0165: { severity: FindingSeverity.WARNING, title: 'reference to an internal gateway' },
  IST0173: { severity: FindingSeverity.ERROR, title: 'DestinationRule subset selects no pods' },
  IST0174: { severity: FindingSeverity.WARNING, title: 'unknown DestinationRule host' },
  ISTT001: { severity: FindingSeverity.ERROR, title: 'Service selector includes a version label' },
  ISTT002: { severity: FindingSeverity.ERROR, title: 'sourceLabels on a gateway-only rule' },
  ISTT003: { severity: FindingSeverity.ERROR, title: 'prefix rewrite produces a double slash' },
  ISTT004: { severity: FindingSeverity.WARNING, title: 'prefix rewrite glues path segments' },
  ISTT005: { severity: FindingSeverity.ERROR, title: 'header match Envoy never sees' },
  ISTT006: { severity: FindingSeverity.WARNING, title: 'conflicting VirtualService hosts on a gateway' },
  ISTT007: { severity: FindingSeverity.WARNING, title: 'match-level gateway not bound' },
  ISTT008: { severity: FindingSeverity.ERROR, title: 'ALLOW policies deny a route\'s only callers' },
  ISTT009: { severity: FindingSeverity.ERROR, title: 'cookie regex misses cookies after the first' },
  ISTT010: { severity: FindingSeverity.ERROR, title: 'Gateway API parentRef not attached' },
  ISTT011: { severity: FindingSeverity.ERROR, title: 'route hostnames no listener accepts' },
  ISTT012: { severity: FindingSeverity.ERROR, title: 'Gateway API backendRef does not resolve' },
  ISTT013: { severity: FindingSeverity.ERROR, title: 'cross-namespace reference without ReferenceGrant' },
  ISTT014: { severity: FindingSeverity.ERROR, title: 'route istiod drops' },
  ISTT015: { severity: FindingSeverity.WARNING, title: 'Gateway API match sorted after a catch-all' },
  ISTT016: { severity: FindingSeverity.WARNING, title: 'mesh route ambient callers bypass' },
  ISTT017: { severity: FindingSeverity.WARNING, title: 'Service parent detail istiod ignores' },
} as const;

export type Code = keyof typeof CODES;
