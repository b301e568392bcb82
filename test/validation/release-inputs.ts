import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  BlueGreen, Canary, CookieRoute, PathRoute, PortProtocol, PreviewHosts, ReleaseOutput, RequestMatch, ServicePort, VersionWorkload,
} from '../../src';

/**
 * Random inputs for the three constructs, mostly valid with a sprinkling of invalid values, and a
 * builder that turns one into a synthesized chart. Shared by the schema and property tests.
 */

export const NAMESPACE = 'shop';

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);

/** Valid values most of the time, or only valid values when `validOnly`. */
function mostly<T>(validOnly: boolean, valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, weights: [number, number] = [8, 1]): fc.Arbitrary<T> {
  return validOnly ? valid : fc.oneof({ weight: weights[0], arbitrary: valid }, { weight: weights[1], arbitrary: invalid });
}

const PORT_SETS: ServicePort[][] = [
  [{ port: 80, protocol: PortProtocol.HTTP }],
  [{ port: 8080, targetPort: 8081, protocol: PortProtocol.HTTP }, { port: 3306, protocol: PortProtocol.TCP }],
  [{ port: 9090, protocol: PortProtocol.GRPC }],
  [{ port: 5432, protocol: PortProtocol.TCP }],
  [{ port: 80, protocol: PortProtocol.HTTP, name: 'web' }],
  [{ port: 0, protocol: PortProtocol.HTTP }],
];

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

/** A CookieRoute when `cookieName` is set, else a PathRoute. */
export interface CookieRouteInput {
  readonly kind: 'CookieRoute';
  readonly version: string;
  readonly cookieName?: string;
  readonly cookieValue?: string;
  readonly pathPrefix?: string;
  readonly rewritePrefix?: string;
}

/** The generators; with `validOnly` every input they produce is one the constructs must accept. */
function inputArbitraries(validOnly: boolean) {
  const nameArb = mostly(validOnly, dnsLabel, fc.constantFrom('', 'Blue', 'v_1', 'a.b', '-x', 'x'.repeat(64), 'ünï', '9web'));
  const portsArb = mostly(validOnly, fc.constantFrom(...PORT_SETS.slice(0, 3)), fc.constantFrom(...PORT_SETS.slice(3)), [6, 1]);
  const hostArb = mostly(validOnly,
    fc.tuple(dnsLabel, fc.constantFrom('example.com', 'apps.hl.test')).map(([a, d]) => `${a}.${d}`),
    fc.constantFrom('*', 'Bad_Host.example.com', 'localhost', '*.example.com'));
  // Version names must differ from each other (and stable from canary); a clash is invalid input.
  const versionsArb = validOnly ? fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 3 }) : fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 });

  const blueGreen: fc.Arbitrary<BlueGreenInput> = fc.record({
    serviceName: nameArb,
    versions: versionsArb,
    ports: portsArb,
    hosts: fc.uniqueArray(hostArb, { maxLength: 2 }),
    activeIndex: fc.option(fc.integer({ min: 0, max: validOnly ? 2 : 3 }), { nil: undefined }),
    previewPattern: fc.option(mostly(validOnly, fc.constantFrom('{version}.preview.example.com', 'app-{version}.apps.hl.test'), fc.constant('bad_{version}.example.com'), [2, 1]), { nil: undefined }),
    versionAffinity: fc.boolean(),
  }).map(({ activeIndex, ...r }) => ({
    kind: 'BlueGreen' as const,
    ...r,
    // index 3 may fall outside the versions: an unknown active version
    activeVersion: activeIndex === undefined ? undefined : r.versions[activeIndex] ?? (validOnly ? r.versions[0] : 'unknown'),
  }));

  const cookieNameArb = mostly(validOnly, fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/), fc.constantFrom('', 'a b', 'a=b', 'a;b', 'x(1)', 'ä'), [6, 1]);
  // values full of RE2 metacharacters: the cookie regex must quote them
  const cookieValueArb = mostly(validOnly, fc.stringMatching(/^[A-Za-z0-9.+*$()|?[\]{}^-]{1,8}$/), fc.constantFrom('', 'a b', 'a;b', 'a,b', '"q"', 'back\\slash'), [6, 1]);

  const canary: fc.Arbitrary<CanaryInput> = fc.record({
    serviceName: nameArb,
    versions: validOnly ? fc.uniqueArray(dnsLabel, { minLength: 2, maxLength: 2 }) : fc.tuple(nameArb, nameArb),
    ports: portsArb,
    hosts: fc.uniqueArray(hostArb, { maxLength: 2 }),
    canaryWeight: mostly(validOnly, fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 100, -1, 101, 250, 12.5, Number.NaN)),
    matchPrefix: fc.option(mostly(validOnly, fc.constantFrom('/api', '/v2/'), fc.constantFrom('/api?x=1', '/a b'), [6, 1]), { nil: undefined }),
    stickyCookie: fc.option(cookieNameArb, { nil: undefined }),
  }).map(({ versions, ...r }) => ({ kind: 'Canary' as const, stable: versions[0], canary: versions[1], ...r }));

  const cookieRoute: fc.Arbitrary<CookieRouteInput> = fc.record({
    version: mostly(validOnly, fc.constantFrom('blue', 'green'), fc.constantFrom('purple', ''), [6, 1]),
    cookieName: fc.option(cookieNameArb, { nil: undefined, freq: 4 }),
    cookieValue: fc.option(cookieValueArb, { nil: undefined }),
    pathPrefix: fc.option(mostly(validOnly, fc.constantFrom('/v1', '/api/', '/a/b'), fc.constantFrom('/', 'v1', '/a//b', '/x?y'), [4, 3]), { nil: undefined }),
    rewritePrefix: fc.option(mostly(validOnly, fc.constantFrom('/', '/new', '/new/'), fc.constantFrom('x', '/a//'), [3, 2]), { nil: undefined }),
  }).map((r) => ({ kind: 'CookieRoute' as const, ...r }))
    // A valid route matches on something, and rewrites only a matched prefix.
    .filter((r) => !validOnly
      || ((r.cookieName !== undefined || r.pathPrefix !== undefined) && (r.rewritePrefix === undefined || r.pathPrefix !== undefined)));

  return { blueGreen, canary, cookieRoute };
}

const mixed = inputArbitraries(false);
const valid = inputArbitraries(true);

export const blueGreenArb = mixed.blueGreen;
export const canaryArb = mixed.canary;
export const cookieRouteArb = mixed.cookieRoute;

/** Inputs every one of which the constructs must accept. */
export const validInputArb: fc.Arbitrary<BlueGreenInput | CanaryInput | CookieRouteInput> =
  fc.oneof(valid.blueGreen, valid.canary, valid.cookieRoute);

export type ReleaseInput = BlueGreenInput | CanaryInput | CookieRouteInput;

export const anyInputArb: fc.Arbitrary<ReleaseInput> = fc.oneof(blueGreenArb, canaryArb, cookieRouteArb);

const workload = (name: string) => VersionWorkload.container({ image: `registry.example.com/${name}:1` });

/** The fixed release a CookieRoute input is added to. */
export const COOKIE_BASE = { serviceName: 'app', host: 'app.example.com', active: 'blue' };

/** Builds the construct(s) of one input in a fresh chart, written as `output` (throws what the constructs throw). */
export function buildChart(input: ReleaseInput, output?: ReleaseOutput): Chart {
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
      output,
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
      output,
    });
  } else {
    const release = new BlueGreen(chart, 'release', {
      serviceName: COOKIE_BASE.serviceName,
      namespace: NAMESPACE,
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: [COOKIE_BASE.host],
      versions: [{ name: 'blue', workload: workload('blue') }, { name: 'green', workload: workload('green') }],
      activeVersion: COOKIE_BASE.active,
      output,
    });
    if (input.cookieName !== undefined) {
      new CookieRoute(chart, 'route', {
        release,
        version: input.version,
        cookieName: input.cookieName,
        cookieValue: input.cookieValue,
        pathPrefix: input.pathPrefix,
        rewritePrefix: input.rewritePrefix,
      });
    } else {
      // A JavaScript caller can leave the required pathPrefix out: the construct must say so.
      new PathRoute(chart, 'route', { release, version: input.version, pathPrefix: input.pathPrefix!, rewritePrefix: input.rewritePrefix });
    }
  }
  return chart;
}

/** The synthesized manifests of one input, or the error the constructs threw. */
export function synthInput(input: ReleaseInput, output?: ReleaseOutput): { manifests?: any[]; error?: Error } {
  try {
    return { manifests: Testing.synth(buildChart(input, output)) };
  } catch (error: any) {
    return { error };
  }
}
