import { RouteSimulator, TrafficAnalyzer, TrafficPlan } from '../../src';
import { parseManifestText } from '../../src/manifests/manifest-files';
import { isCatchAllMatch, matchesEveryRequest } from '../../src/semantics/match';

/**
 * Catch-alls as istiod decides them (pilot/pkg/networking/core/route/route.go IsCatchAllRoute on the
 * output of TranslateRouteMatch), the same for the simulator, the plan and the analyzer.
 */

const vs = (match: string) => parseManifestText(`
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ name: http, port: 80 }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec: { host: web, subsets: [{ name: a, labels: { version: a } }, { name: b, labels: { version: b } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - match: [${match}]
    route: [{ destination: { host: web, subset: a } }]
  - route: [{ destination: { host: web, subset: b } }]
`, 'test');

describe('catch-all matches', () => {
  test('prefix "/", regex ".*" and a uri without match type are catch-alls; headers, even presence ones, are not', () => {
    // GIVEN the match shapes istiod translates to prefix "/" or regex ".*" without header matchers
    // WHEN / THEN
    expect([{ uri: { prefix: '/' } }, { uri: { regex: '.*' } }, { uri: {} }, {}, { name: 'all' }].map(isCatchAllMatch)).toEqual([true, true, true, true, true]);
    expect([{ uri: { prefix: '' } }, { headers: { x: {} } }, { headers: { x: { regex: '*' } } }, { method: { exact: 'GET' } }, { uri: { regex: '*' } }]
      .map(isCatchAllMatch)).toEqual([false, false, false, false, false]);
    // AND static selectors keep the route for some proxies only, so they never end a VirtualService for everyone
    expect(matchesEveryRequest({ uri: { prefix: '/' }, sourceLabels: { app: 'x' } })).toBe(false);
  });

  test('a regex ".*" rule ends the route list: the plan, the simulator and the analyzer agree the next rule is dead', () => {
    // GIVEN rule 0 matching uri regex .* and rule 1 without match
    const manifests = vs('{ uri: { regex: ".*" } }');

    // WHEN simulating, planning and analyzing
    const result = new RouteSimulator(manifests).route({ sourceNamespace: 'shop', host: 'web', path: '/anything' });
    const mesh = TrafficPlan.fromManifests(manifests).routeTables.find((t) => t.hosts.includes('web.shop.svc.cluster.local'))!;
    const findings = TrafficAnalyzer.analyze(manifests).filter((f) => f.code === 'IST0130');

    // THEN rule 0 decides, the plan leaves rule 1 out with a note, and IST0130 flags rule 1
    expect(result.rule?.ruleIndex).toBe(0);
    expect(mesh.rules.map((r) => r.ruleIndex)).toEqual([0]);
    expect(mesh.notes).toContain('shop/web http[0] matches every request, so the 1 rule after it never applies');
    expect(findings.map((f) => f.path)).toEqual(['spec.http[1]']);
  });

  test('a uri regex "*" is no presence match: Envoy rejects it, so route throws, check reports IST0106 and the plan keeps the next rule', () => {
    // GIVEN uri.regex '*' (istiod sends it to Envoy as an RE2 regex; only header-style matchers turn '*' into
    // present_match, route.go canBeConvertedToPresentMatch; validation.go validateStringMatchRegexp rejects it)
    const manifests = vs('{ uri: { regex: "*" } }');

    // WHEN / THEN the simulator refuses the regex
    expect(() => new RouteSimulator(manifests).route({ sourceNamespace: 'shop', host: 'web' }))
      .toThrow(/virtualservice shop\/web http\[0\]\.match\[0\]\.uri: regex '\*' is not valid RE2/);
    // AND check reports the same regex as an error
    const errors = TrafficAnalyzer.errors(manifests);
    expect(errors.map((f) => [f.code, f.path])).toEqual([['IST0106', 'spec.http[0].match[0].uri.regex']]);
    // AND the plan does not treat it as a catch-all: rule 1 still follows
    const mesh = TrafficPlan.fromManifests(manifests).routeTables.find((t) => t.hosts.includes('web.shop.svc.cluster.local'))!;
    expect(mesh.rules.map((r) => r.ruleIndex)).toEqual([0, 1]);
  });

  test('a header regex "*" is a presence match everywhere and is not reported', () => {
    // GIVEN headers.x-debug.regex '*' (translated to present_match)
    const manifests = vs('{ headers: { x-debug: { regex: "*" } } }');

    // WHEN / THEN it matches any value, and only when present
    const sim = new RouteSimulator(manifests);
    expect(sim.route({ sourceNamespace: 'shop', host: 'web', headers: { 'x-debug': '' } }).rule?.ruleIndex).toBe(0);
    expect(sim.route({ sourceNamespace: 'shop', host: 'web' }).rule?.ruleIndex).toBe(1);
    expect(TrafficAnalyzer.errors(manifests)).toEqual([]);
  });
});
