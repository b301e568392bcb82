import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  BlueGreen, Canary, CookieRoute, GatewayBinding, PlanEntryKind, PortProtocol, RequestMatch, RouteResult, RouteSimulator, TrafficPlan,
  SimulatedRequest, TrafficRelease,
} from '../src';
import { hostCovers } from '../src/semantics/names';

/**
 * Platforms of several releases on shared and separate gateway pods, checked three ways on every
 * probe: the synth-time check (validate/host-sharing.ts, which asks the semantics core), the route
 * simulator and the traffic plan.
 *
 * What a release declares on the gateway: the requests for its host (`*` and wildcards included)
 * that it routes when it is alone on its gateway pods. A request is the release's own when no other
 * release on the same pods declares it, or when it lies under the release's pathPrefix and only one
 * release mounted there declares it (a release without pathPrefix takes the rest). Then:
 *
 * - an accepted platform routes every probe exactly as its owner alone does (or not at all when
 *   nobody declares it), whichever order the VirtualServices were created in (istiod orders them by
 *   creation time, `pilot/pkg/model/config.go` sortConfigByCreationTime, and the order between them
 *   is undefined, docs/istio-semantics.md §1.7), and the plan shows the rule the simulator used with
 *   the same destinations;
 * - a platform the check rejects for sharing has a probe that two releases declare as their own, or
 *   one the simulator routes differently from its owner in one of the creation orders.
 */

const HOSTS = ['shop.example.com', '*.example.com', '*', 'api.example.com'];
const MOUNTS = [undefined, '/api', '/web', '/api/v2'];
const PROBE_HOSTS = ['shop.example.com', 'api.example.com', 'x.example.com', 'other.org'];
const PROBE_PATHS = ['/', '/api', '/api/x', '/api/v2/x', '/web/x', '/apis', '/x'];
const PROBE_COOKIES = [undefined, 'qa=1'];

/** Where a release's Gateway sends requests: created on the default ingress, on internal pods, or the platform's shared Gateway. */
type GatewayChoice = 'own' | 'internal' | 'public' | 'shared-name';

interface ReleaseSpec {
  readonly namespace: string;
  readonly host: string;
  readonly mount?: string;
  readonly rewrite: boolean;
  readonly gateway: GatewayChoice;
  readonly canary: boolean;
  readonly split: boolean;
  readonly cookie: boolean;
}

const releaseSpec: fc.Arbitrary<ReleaseSpec> = fc.record({
  namespace: fc.constantFrom('shop', 'edge'),
  host: fc.constantFrom(...HOSTS),
  mount: fc.constantFrom(...MOUNTS),
  rewrite: fc.boolean(),
  gateway: fc.constantFrom<GatewayChoice>('own', 'own', 'internal', 'public', 'shared-name'),
  canary: fc.boolean(),
  split: fc.boolean(),
  cookie: fc.boolean(),
});

/** The platform's Gateway the releases bind to by reference, on pods of its own. */
const PUBLIC_GATEWAY = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'istio-system' },
  spec: { selector: { istio: 'public' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};

const PORTS = [{ port: 80, protocol: PortProtocol.HTTP }];

function binding(spec: ReleaseSpec, name: string): GatewayBinding {
  switch (spec.gateway) {
    case 'internal':
      return GatewayBinding.create({ name: `${name}-gw`, selector: { istio: 'internal' } });
    case 'public':
      return GatewayBinding.fromReference('istio-system/public');
    case 'shared-name':
      return GatewayBinding.create({ name: 'shared' });
    default:
      return GatewayBinding.create({ name: `${name}-gw` });
  }
}

/** The gateway a probe of this release's pods enters through. */
function entry(spec: ReleaseSpec, name: string): string {
  return spec.gateway === 'public' ? 'istio-system/public' : `${spec.namespace}/${spec.gateway === 'shared-name' ? 'shared' : `${name}-gw`}`;
}

/** Which gateway pods a release's Gateway selects (releases on the same pods share their listeners). */
function pods(spec: ReleaseSpec): string {
  return spec.gateway === 'internal' ? 'internal' : spec.gateway === 'public' ? 'public' : 'ingress';
}

/** Declares the platform's releases (release `i` is named `r<i>`), or only the one numbered `only`. */
function declare(app: App, specs: ReleaseSpec[], only?: number): void {
  const charts = new Map<string, Chart>();
  specs.forEach((spec, i) => {
    if (only !== undefined && i !== only) {
      return;
    }
    const name = `r${i}`;
    const chart = charts.get(spec.namespace) ?? new Chart(app, spec.namespace, { namespace: spec.namespace });
    charts.set(spec.namespace, chart);
    // paths in matches are the ones the service receives: under the rewrite, or under the mount
    const space = spec.mount !== undefined && !spec.rewrite ? spec.mount : '';
    const common = {
      serviceName: name,
      ports: PORTS,
      hosts: [spec.host],
      pathPrefix: spec.mount,
      rewritePrefix: spec.mount !== undefined && spec.rewrite ? '/' : undefined,
      gateway: binding(spec, name),
    };
    const release: TrafficRelease = spec.canary
      ? new Canary(chart, name, {
        ...common,
        stable: { name: 'blue' },
        canary: { name: 'green' },
        canaryWeight: 30,
        match: spec.split ? [RequestMatch.uriPrefix(`${space}/x`)] : undefined,
      })
      : new BlueGreen(chart, name, { ...common, versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: spec.split ? 'green' : 'blue' });
    if (spec.cookie) {
      new CookieRoute(chart, `${name}-qa`, { release, version: 'green', cookieName: 'qa', cookieValue: '1' });
    }
  });
}

/** The objects as the cluster would hold them, without the app's validation: a repeated identity keeps the last one applied. */
function clusterObjects(app: App): any[] {
  const byIdentity = new Map<string, any>();
  for (const c of app.node.findAll()) {
    if (c instanceof ApiObject) {
      const json = c.toJson();
      byIdentity.set(`${json.kind}|${json.metadata.namespace}|${json.metadata.name}`, json);
    }
  }
  return [...byIdentity.values(), PUBLIC_GATEWAY];
}

/**
 * The Istio objects created in reverse name order (istiod orders configs by creation time, then name):
 * Gateways too, since a gateway virtual host takes routes server by server in Gateway order and,
 * per Gateway, VirtualService by VirtualService (`gateway.go` `buildGatewayHTTPRouteConfig`).
 */
function reversed(manifests: any[]): any[] {
  // istiod's tie-break after creation time: name, then namespace
  const id = (m: any) => `${m.metadata.name}|${m.metadata.namespace}|${m.kind}`;
  const istio = (m: any) => String(m.apiVersion).startsWith('networking.istio.io/');
  const names = manifests.filter(istio).map(id).sort().reverse();
  return manifests.map((m) => (!istio(m) ? m : {
    ...m, metadata: { ...m.metadata, creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, names.indexOf(id(m)))).toISOString() },
  }));
}

/** Where a request ended: status, service, subset shares and path. */
function outcome(result: RouteResult): string {
  const to = result.destinations.map((d) => `${d.host}:${d.subset ?? '*'}:${d.percentage}`).sort().join(',');
  return result.statusCode === 200 ? `200 ${to} ${result.path}` : String(result.statusCode);
}

interface Probe {
  readonly pods: string;
  readonly host: string;
  readonly path: string;
  readonly cookie?: string;
}

function probes(specs: ReleaseSpec[]): Probe[] {
  const out: Probe[] = [];
  for (const p of new Set(specs.map(pods))) {
    for (const host of PROBE_HOSTS) {
      for (const path of PROBE_PATHS) {
        for (const cookie of PROBE_COOKIES) {
          out.push({ pods: p, host, path, cookie });
        }
      }
    }
  }
  return out;
}

function request(probe: Probe, gateway: string): SimulatedRequest {
  return { gateway, host: probe.host, path: probe.path, headers: probe.cookie ? { cookie: probe.cookie } : {} };
}

/** What one platform shows: the probes where the simulator contradicts what the releases declare. */
function contradictions(specs: ReleaseSpec[], manifests: any[]): string[] {
  const alone = specs.map((_, i) => {
    const app = Testing.app();
    declare(app, specs, i);
    return new RouteSimulator(clusterObjects(app));
  });
  const platforms = [new RouteSimulator(manifests), new RouteSimulator(reversed(manifests))];
  const out: string[] = [];
  for (const probe of probes(specs)) {
    const mine = specs.map((s, i) => ({ s, i })).filter(({ s }) => pods(s) === probe.pods && hostCovers(s.host, probe.host));
    const declared = mine
      .map(({ s, i }) => ({ s, i, result: alone[i].route(request(probe, entry(s, `r${i}`))) }))
      .filter(({ result }) => result.statusCode === 200);
    const mounted = declared.filter(({ s }) => s.mount !== undefined);
    const owners = mounted.length > 0 ? mounted : declared;
    const gateway = mine.length > 0 ? entry(mine[0].s, `r${mine[0].i}`) : undefined;
    if (owners.length > 1) {
      out.push(`${JSON.stringify(probe)} is declared by ${owners.map(({ i }) => `r${i}`).join(' and ')}`);
      continue;
    }
    if (!gateway) {
      continue;
    }
    const expected = owners.length === 1 ? outcome(owners[0].result) : '404';
    platforms.forEach((sim, order) => {
      const got = outcome(sim.route(request(probe, gateway)));
      if (got !== expected) {
        out.push(`${JSON.stringify(probe)} in creation order ${order}: ${got}, declared ${expected}`);
      }
    });
  }
  return out;
}

/** Every gateway probe the simulator routes uses a rule the plan shows, unshadowed, with the same destinations. */
function planDisagreements(specs: ReleaseSpec[], manifests: any[]): string[] {
  const sim = new RouteSimulator(manifests);
  const plan = TrafficPlan.fromManifests(manifests);
  const out: string[] = [];
  for (const probe of probes(specs)) {
    const i = specs.findIndex((s) => pods(s) === probe.pods);
    const gateway = entry(specs[i], `r${i}`);
    const result = sim.route(request(probe, gateway));
    if (result.statusCode !== 200 || !result.rule) {
      continue;
    }
    const vs = `${result.rule.namespace}/${result.rule.name}`;
    const rows = plan.routeTables
      .filter((t) => t.entryKind === PlanEntryKind.GATEWAY && t.hosts.some((h) => hostCovers(h, probe.host)))
      .flatMap((t) => t.rules)
      .filter((r) => r.virtualService === vs && r.ruleIndex === result.rule!.ruleIndex && r.shadowedBy === undefined);
    const simulated = result.destinations.map((d) => `${d.host}:${d.subset}:${d.percentage}`).sort().join(',');
    if (!rows.some((r) => r.destinations.map((d) => `${d.host}:${d.subset}:${d.percentage}`).sort().join(',') === simulated)) {
      out.push(`${JSON.stringify(probe)}: simulator used ${vs} http[${result.rule.ruleIndex}] -> ${simulated}, the plan shows no such unshadowed rule`);
    }
  }
  return out;
}

/** Mesh callers reach each release as it routes alone: mounts and other releases never change the mesh. */
function meshDisagreements(specs: ReleaseSpec[], manifests: any[]): string[] {
  const sim = new RouteSimulator(manifests);
  const out: string[] = [];
  specs.forEach((s, i) => {
    for (const path of ['/', '/x', '/api/x']) {
      const result = sim.route({ sourceNamespace: s.namespace, host: `r${i}.${s.namespace}.svc.cluster.local`, path });
      if (result.statusCode !== 200 || result.destinations.some((d) => d.host !== `r${i}.${s.namespace}.svc.cluster.local`)) {
        out.push(`mesh ${path} to r${i}: ${outcome(result)}`);
      }
    }
  });
  return out;
}

describe('platforms of several releases: synth check, simulator and plan agree', () => {
  test('accepted platforms route every probe as declared in any creation order; rejected ones lose declared traffic', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(fc.array(releaseSpec, { minLength: 2, maxLength: 3 }), (specs) => {
      // GIVEN a platform of releases
      const app = Testing.app();
      declare(app, specs);

      // WHEN it is synthesized
      let errors: string | undefined;
      try {
        app.charts.forEach((chart) => Testing.synth(chart));
      } catch (e) {
        errors = (e as Error).message;
      }
      const manifests = clusterObjects(app);
      const sharing = errors?.split('\n').filter((line) => line.startsWith('  [') && !line.includes('is defined twice')) ?? [];

      // THEN an accepted platform routes every probe as its owner declares, and the plan agrees
      if (errors === undefined) {
        accepted++;
        expect(contradictions(specs, manifests)).toEqual([]);
        expect(planDisagreements(specs, manifests)).toEqual([]);
        expect(meshDisagreements(specs, manifests)).toEqual([]);
      } else if (sharing.length > 0) {
        // AND a platform rejected for sharing has a probe that shows the loss
        rejected++;
        expect(contradictions(specs, manifests).length).toBeGreaterThan(0);
      } else {
        expect(errors).toMatch(/is defined twice/);
      }
    }), { numRuns: Number(process.env.RUNS ?? 60), seed: Number(process.env.SEED ?? 13) });
    // both outcomes were exercised
    expect(accepted).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(5);
  });
});
