import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { BlueGreen, Canary, CookieRoute, PortProtocol, PreviewHosts, RequestMatch, ServicePort, VersionWorkload } from '../../src';

/**
 * Random inputs for the three constructs, mostly valid with a sprinkling of invalid values, and a
 * builder that turns one into a synthesized chart. Shared by the schema and property tests.
 */

export const NAMESPACE = 'shop';

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const oddName = fc.constantFrom('', 'Blue', 'v_1', 'a.b', '-x', 'x'.repeat(64), 'ünï');
export const nameArb = fc.oneof({ weight: 8, arbitrary: dnsLabel }, { weight: 1, arbitrary: oddName });

const PORT_SETS: ServicePort[][] = [
  [{ port: 80, protocol: PortProtocol.HTTP }],
  [{ port: 8080, targetPort: 8081, protocol: PortProtocol.HTTP }, { port: 3306, protocol: PortProtocol.TCP }],
  [{ port: 9090, protocol: PortProtocol.GRPC }],
  [{ port: 5432, protocol: PortProtocol.TCP }],
  [{ port: 80, protocol: PortProtocol.HTTP, name: 'web' }],
  [{ port: 0, protocol: PortProtocol.HTTP }],
];
const portsArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PORT_SETS.slice(0, 3)) },
  { weight: 1, arbitrary: fc.constantFrom(...PORT_SETS.slice(3)) },
);

const hostArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(dnsLabel, fc.constantFrom('example.com', 'apps.hl.test')).map(([a, d]) => `${a}.${d}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'Bad_Host.example.com', 'localhost', '*.example.com') },
);

export interface BlueGreenInput {
  readonly kind: 'BlueGreen';
  readonly serviceName: string;
  readonly versions: string[];
  readonly ports: ServicePort[];
  readonly hosts: string[];
  readonly activeVersion?: string;
  readonly previewPattern?: string;
  readonly versionAffinity: boolean;
}

export const blueGreenArb: fc.Arbitrary<BlueGreenInput> = fc.record({
  serviceName: nameArb,
  versions: fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 }),
  ports: portsArb,
  hosts: fc.uniqueArray(hostArb, { maxLength: 2 }),
  activeIndex: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  previewPattern: fc.option(fc.constantFrom('{version}.preview.example.com', 'app-{version}.apps.hl.test', 'bad_{version}.example.com'), { nil: undefined }),
  versionAffinity: fc.boolean(),
}).map(({ activeIndex, ...r }) => ({
  kind: 'BlueGreen' as const,
  ...r,
  // index 3 may fall outside the versions: an unknown active version
  activeVersion: activeIndex === undefined ? undefined : r.versions[activeIndex] ?? 'unknown',
}));

export interface CanaryInput {
  readonly kind: 'Canary';
  readonly serviceName: string;
  readonly stable: string;
  readonly canary: string;
  readonly ports: ServicePort[];
  readonly hosts: string[];
  readonly canaryWeight: number;
  readonly matchPrefix?: string;
  readonly stickyCookie?: string;
}

const cookieNameArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'a=b', 'a;b', 'x(1)', 'ä') },
);
// values full of RE2 metacharacters: the cookie regex must quote them
const cookieValueArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9.+*$()|?[\]{}^-]{1,8}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'a;b', 'a,b', '"q"', 'back\\slash') },
);

export const canaryArb: fc.Arbitrary<CanaryInput> = fc.record({
  serviceName: nameArb,
  stable: nameArb,
  canary: nameArb,
  ports: portsArb,
  hosts: fc.uniqueArray(hostArb, { maxLength: 2 }),
  canaryWeight: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 100 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 100, -1, 101, 250, 12.5, Number.NaN) },
  ),
  matchPrefix: fc.option(fc.constantFrom('/api', '/v2/'), { nil: undefined }),
  stickyCookie: fc.option(cookieNameArb, { nil: undefined }),
}).map((r) => ({ kind: 'Canary' as const, ...r }));

export interface CookieRouteInput {
  readonly kind: 'CookieRoute';
  readonly version: string;
  readonly cookieName?: string;
  readonly cookieValue?: string;
  readonly uriPrefix?: string;
  readonly rewriteUri?: string;
}

export const cookieRouteArb: fc.Arbitrary<CookieRouteInput> = fc.record({
  version: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('blue', 'green') }, { weight: 1, arbitrary: fc.constantFrom('purple', '') }),
  cookieName: fc.option(cookieNameArb, { nil: undefined, freq: 4 }),
  cookieValue: fc.option(cookieValueArb, { nil: undefined }),
  uriPrefix: fc.option(fc.constantFrom('/v1', '/', '/api/', '/a/b', 'v1', '/a//b', '/x?y'), { nil: undefined }),
  rewriteUri: fc.option(fc.constantFrom('/', '/new', '/new/', 'x', '/a//'), { nil: undefined }),
}).map((r) => ({ kind: 'CookieRoute' as const, ...r }));

export type ReleaseInput = BlueGreenInput | CanaryInput | CookieRouteInput;

export const anyInputArb: fc.Arbitrary<ReleaseInput> = fc.oneof(blueGreenArb, canaryArb, cookieRouteArb);

const workload = (name: string) => VersionWorkload.container({ image: `registry.example.com/${name}:1` });

/** The fixed release a CookieRoute input is added to. */
export const COOKIE_BASE = { serviceName: 'app', host: 'app.example.com', active: 'blue' };

/** Builds the construct(s) of one input in a fresh chart (throws what the constructs throw). */
export function buildChart(input: ReleaseInput): Chart {
  const chart = Testing.chart();
  if (input.kind === 'BlueGreen') {
    new BlueGreen(chart, 'release', {
      serviceName: input.serviceName,
      namespace: NAMESPACE,
      ports: input.ports,
      hosts: input.hosts,
      versions: input.versions.map((name) => ({ name, workload: workload(name) })),
      activeVersion: input.activeVersion,
      previewHosts: input.previewPattern ? PreviewHosts.pattern(input.previewPattern) : undefined,
      versionAffinity: input.versionAffinity,
    });
  } else if (input.kind === 'Canary') {
    new Canary(chart, 'release', {
      serviceName: input.serviceName,
      namespace: NAMESPACE,
      ports: input.ports,
      hosts: input.hosts,
      stable: { name: input.stable, workload: workload(input.stable) },
      canary: { name: input.canary, workload: workload(input.canary) },
      canaryWeight: input.canaryWeight,
      match: input.matchPrefix ? [RequestMatch.uriPrefix(input.matchPrefix)] : undefined,
      stickySessions: input.stickyCookie !== undefined ? { cookieName: input.stickyCookie } : undefined,
    });
  } else {
    const release = new BlueGreen(chart, 'release', {
      serviceName: COOKIE_BASE.serviceName,
      namespace: NAMESPACE,
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: [COOKIE_BASE.host],
      versions: [{ name: 'blue', workload: workload('blue') }, { name: 'green', workload: workload('green') }],
      activeVersion: COOKIE_BASE.active,
    });
    new CookieRoute(chart, 'route', {
      release,
      version: input.version,
      cookieName: input.cookieName,
      cookieValue: input.cookieValue,
      uriPrefix: input.uriPrefix,
      rewriteUri: input.rewriteUri,
    });
  }
  return chart;
}

/** The synthesized manifests of one input, or the error the constructs threw. */
export function synthInput(input: ReleaseInput): { manifests?: any[]; error?: Error } {
  try {
    return { manifests: Testing.synth(buildChart(input)) };
  } catch (error: any) {
    return { error };
  }
}
