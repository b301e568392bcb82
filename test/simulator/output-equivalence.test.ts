import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  BlueGreen, Canary, CookieRoute, GatewayBinding, PathRoute, PortProtocol, PreviewHosts, ReleaseOutput, RequestMatch, RouteResult, RouteSimulator,
  SimulatedRequest, TrafficRelease,
} from '../../src';

/**
 * The two outputs of one declaration route alike: random releases are written as VirtualServices
 * (ReleaseOutput.istio()) and as Gateway API routes (ReleaseOutput.gatewayApi()), and the simulator,
 * which models both as Istio 1.30 programs them (docs/gateway-api-semantics.md §2.5, §12), must send
 * every probe request to the same versions with the same shares, status and rewritten path, for mesh
 * callers and through the ingress gateway.
 */

const NAMESPACE = 'shop';
const HOST = 'shop.example.com';

/** Where a request went, in terms both outputs share: version → share, status, path. */
interface Landing {
  readonly status: number;
  readonly to: Record<string, number>;
  readonly path?: string;
  readonly location?: string;
  readonly mirrors: Record<string, number>;
}

/** A version is a DestinationRule subset (Istio output) or the Service `api-<version>` (Gateway API output); `*` is every pod. */
function landing(result: RouteResult): Landing {
  const shares = (destinations: RouteResult['destinations']) => {
    const to: Record<string, number> = {};
    for (const d of destinations) {
      const service = d.host.split('.')[0];
      const version = d.subset ?? (service === 'api' ? '*' : service.replace(/^api-/, ''));
      to[version] = (to[version] ?? 0) + Math.round(d.percentage * 1000) / 1000;
    }
    return to;
  };
  return {
    status: result.statusCode, to: shares(result.destinations), path: result.path, location: result.redirectLocation, mirrors: shares(result.mirrors),
  };
}

const segment = fc.constantFrom('a', 'ab', 'b');
const path = fc.array(segment, { minLength: 1, maxLength: 2 }).map((s) => `/${s.join('/')}`);
const match = fc.oneof(
  path.map((p) => RequestMatch.uriExact(p)),
  path.map((p) => RequestMatch.uriPrefix(p)),
  fc.constantFrom('1', '2').map((v) => RequestMatch.header('x-tier', v)),
  fc.tuple(path, fc.constantFrom('1', '2')).map(([p, v]) => RequestMatch.all(RequestMatch.uriPrefix(p), RequestMatch.header('x-tier', v))),
);

const declaration = fc.record({
  canary: fc.boolean(),
  activeVersion: fc.constantFrom<string | undefined>('v1', 'v2', undefined),
  canaryWeight: fc.constantFrom(0, 20, 50, 100),
  forceCanary: fc.array(match, { maxLength: 2 }),
  forceStable: fc.array(match, { maxLength: 1 }),
  preview: fc.boolean(),
  sticky: fc.boolean(),
  split: fc.array(match, { maxLength: 2 }),
  mirror: fc.constantFrom<number | undefined>(undefined, 25),
  tls: fc.boolean(),
  cookie: fc.option(fc.record({ version: fc.constantFrom('v1', 'v2'), pathPrefix: fc.option(path, { nil: undefined }) }), { nil: undefined }),
  pathRoute: fc.option(fc.record({ version: fc.constantFrom('v1', 'v2'), pathPrefix: path }), { nil: undefined }),
});

type Declaration = typeof declaration extends fc.Arbitrary<infer T> ? T : never;

function build(d: Declaration, output: ReleaseOutput): Chart {
  const chart = Testing.chart();
  const common = {
    serviceName: 'api',
    namespace: NAMESPACE,
    ports: [{ port: 80, protocol: PortProtocol.HTTP }],
    hosts: [HOST],
    gateway: GatewayBinding.create(d.tls ? { credentialName: 'api-cert', httpsRedirect: true } : {}),
    output,
  };
  let release: TrafficRelease;
  if (d.canary) {
    release = new Canary(chart, 'api', {
      ...common,
      stable: { name: 'v1' },
      canary: { name: 'v2' },
      canaryWeight: d.canaryWeight,
      forceCanary: d.forceCanary,
      forceStable: d.forceStable,
      match: d.split,
      mirrorPercentage: d.mirror,
      stickySessions: d.sticky ? {} : undefined,
    });
  } else {
    release = new BlueGreen(chart, 'api', {
      ...common,
      versions: [{ name: 'v1' }, { name: 'v2' }],
      activeVersion: d.activeVersion,
      previewHosts: d.preview ? PreviewHosts.pattern('api-{version}.example.com') : undefined,
    });
  }
  if (d.cookie) {
    new CookieRoute(chart, 'qa', { release, version: d.cookie.version, cookieName: 'qa', pathPrefix: d.cookie.pathPrefix });
  }
  if (d.pathRoute) {
    new PathRoute(chart, 'pinned', { release, version: d.pathRoute.version, pathPrefix: d.pathRoute.pathPrefix });
  }
  return chart;
}

const probe = fc.record({
  path: fc.oneof(path, path.map((p) => `${p}b`), path.map((p) => `${p}/x?q=1`), fc.constant('/')),
  tier: fc.constantFrom<string | undefined>(undefined, '1', '2'),
  cookie: fc.constantFrom<string | undefined>(undefined, 'qa=v2; x=1', 'api-version=v2', 'api-version=v1; qa=v1'),
});

describe('the Istio and the Gateway API outputs of one declaration route alike', () => {
  test('property: every probe lands on the same versions, shares, status and path, in the mesh and through the gateway', () => {
    // how many probes were compared, and how many reached a preview host: the property must not pass vacuously
    let compared = 0;
    let previews = 0;
    fc.assert(fc.property(declaration, fc.array(probe, { minLength: 6, maxLength: 6 }), (d, probes) => {
      // GIVEN a random release written both ways
      let istio: RouteSimulator;
      let gatewayApi: RouteSimulator;
      try {
        istio = new RouteSimulator(Testing.synth(build(d, ReleaseOutput.istio())));
      } catch {
        return; // declarations both outputs reject alike (shadowed routes)
      }
      try {
        gatewayApi = new RouteSimulator(Testing.synth(build(d, ReleaseOutput.gatewayApi())));
      } catch (error: any) {
        // an order Gateway API cannot keep is a synth error that names the alternative
        expect(error.message).toMatch(/use ReleaseOutput\.istio\(\)/);
        return;
      }
      for (const p of probes) {
        const headers: Record<string, string> = { ...(p.tier ? { 'x-tier': p.tier } : {}), ...(p.cookie ? { cookie: p.cookie } : {}) };
        const requests: SimulatedRequest[] = [
          { sourceNamespace: NAMESPACE, host: 'api', port: 80, path: p.path, headers },
          { sourceNamespace: 'other', host: `api.${NAMESPACE}.svc.cluster.local`, port: 80, path: p.path, headers },
          { gateway: `${NAMESPACE}/api-gateway`, host: HOST, port: d.tls ? 443 : 80, path: p.path, headers },
        ];
        if (d.tls) {
          requests.push({ gateway: `${NAMESPACE}/api-gateway`, host: HOST, port: 80, path: p.path, headers });
        }
        if (d.preview && !d.canary) {
          requests.push({ gateway: `${NAMESPACE}/api-gateway`, host: 'api-v2.example.com', port: d.tls ? 443 : 80, path: p.path, headers });
        }
        for (const request of requests) {
          // WHEN the simulator routes the probe through each output THEN both land alike
          const expected = landing(istio.route(request));
          const actual = landing(gatewayApi.route(request));
          expect({ request, landing: actual }).toEqual({ request, landing: expected });
          compared++;
          previews += request.host === 'api-v2.example.com' && expected.to.v2 === 100 ? 1 : 0;
        }
      }
    }), { numRuns: 60, seed: 1717 });
    expect(compared).toBeGreaterThan(500);
    expect(previews).toBeGreaterThan(0);
  });
});
