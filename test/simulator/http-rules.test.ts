import { parseAllDocuments } from 'yaml';
import { RouteOutcome, RouteSimulator } from '../../src';

/** Service `reviews` (ns shop, port http 9080) with v1/v2 pods and subsets, plus extra YAML. */
function shop(extra: string): RouteSimulator {
  const text = `
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports: [{ name: http, port: 9080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: shop }
spec:
  template: { metadata: { labels: { app: reviews, version: v1 } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v2, namespace: shop }
spec:
  template: { metadata: { labels: { app: reviews, version: v2 } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
${extra}`;
  return new RouteSimulator(parseAllDocuments(text).map((d) => d.toJS()));
}

const call = (sim: RouteSimulator, extra: Record<string, any> = {}) =>
  sim.route({ sourceNamespace: 'shop', host: 'reviews', port: 9080, ...extra });

const twoRules = (firstMatch: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [${firstMatch}]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - route: [{ destination: { host: reviews, subset: v1 } }]
`;

describe('§1.1 order and OR/AND', () => {
  test('§1.1 the first matching rule wins even if a later rule is more specific', () => {
    // GIVEN rule 0 matching prefix /api and rule 1 matching exact /api/v2
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /api } }]
    route: [{ destination: { host: reviews, subset: v1 } }]
  - match: [{ uri: { exact: /api/v2 } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
`);
    // WHEN /api/v2 is requested
    const result = call(sim, { path: '/api/v2' });
    // THEN rule 0 decides
    expect(result.rule?.ruleIndex).toBe(0);
    expect(result.destinations[0].subset).toBe('v1');
  });

  test('§1.1 match entries are ORed and the fields of one entry ANDed', () => {
    // GIVEN rule 0 with entries {uri /a AND header x:1} OR {uri /b}
    const sim = shop(twoRules('{ uri: { prefix: /a }, headers: { x: { exact: "1" } } }, { uri: { prefix: /b } }'));
    // WHEN /a without header, /a with header and /b are requested
    const aOnly = call(sim, { path: '/a' });
    const aAndHeader = call(sim, { path: '/a', headers: { X: '1' } });
    const b = call(sim, { path: '/b' });
    // THEN only the complete first entry or the second entry match
    expect(aOnly.rule?.ruleIndex).toBe(1);
    expect(aAndHeader.rule).toEqual(expect.objectContaining({ ruleIndex: 0, matchIndex: 0 }));
    expect(b.rule).toEqual(expect.objectContaining({ ruleIndex: 0, matchIndex: 1 }));
  });

  test('§1.1 nothing after the first catch-all is emitted: a later exact rule is unreachable', () => {
    // GIVEN an empty match entry (catch-all) before a header rule
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [{}]
    route: [{ destination: { host: reviews, subset: v1 } }]
  - match: [{ headers: { x-canary: { exact: "yes" } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
`);
    // WHEN a request carries the header of rule 1
    const result = call(sim, { headers: { 'x-canary': 'yes' } });
    // THEN the catch-all of rule 0 decides
    expect(result.rule?.ruleIndex).toBe(0);
    expect(result.destinations[0].subset).toBe('v1');
  });

  test('§1.6 a VS with no matching rule gives 404 NR from the sidecar', () => {
    // GIVEN a VS with only a /v2 rule
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /v2 } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
`);
    // WHEN / is requested
    const result = call(sim, { path: '/' });
    // THEN there is no route
    expect(result.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(result.statusCode).toBe(404);
    expect(result.reason).toMatch(/shop\/reviews/);
  });
});

describe('§1.5 field semantics', () => {
  test('§1.5 uri exact ignores the query string', () => {
    // GIVEN rule 0 exact /login
    const sim = shop(twoRules('{ uri: { exact: /login } }'));
    // WHEN /login?x=1 is requested
    // THEN rule 0 matches
    expect(call(sim, { path: '/login?x=1' }).rule?.ruleIndex).toBe(0);
  });

  test('§1.5 uri regex must match the whole path: /b[io]t matches /bit but not /bite', () => {
    // GIVEN rule 0 regex /b[io]t
    const sim = shop(twoRules('{ uri: { regex: "/b[io]t" } }'));
    // WHEN /bit and /bite are requested
    // THEN only /bit matches rule 0
    expect(call(sim, { path: '/bit' }).rule?.ruleIndex).toBe(0);
    expect(call(sim, { path: '/bite' }).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 ignoreUriCase makes prefix matching case-insensitive', () => {
    // GIVEN rule 0 prefix /API with ignoreUriCase
    const sim = shop(twoRules('{ uri: { prefix: /API }, ignoreUriCase: true }'));
    // WHEN /api/x is requested
    // THEN rule 0 matches
    expect(call(sim, { path: '/api/x' }).rule?.ruleIndex).toBe(0);
  });

  test('§1.5 header values are case-sensitive while header names are not', () => {
    // GIVEN rule 0 header x-user exact Alice (lower-case name)
    const sim = shop(twoRules('{ headers: { x-user: { exact: Alice } } }'));
    // WHEN the request sends X-User: Alice, then X-User: alice
    // THEN only the exact value matches
    expect(call(sim, { headers: { 'X-User': 'Alice' } }).rule?.ruleIndex).toBe(0);
    expect(call(sim, { headers: { 'X-User': 'alice' } }).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 an empty header match `{}` is a presence check (any value, even empty)', () => {
    // GIVEN rule 0 requiring header x-debug to be present
    const sim = shop(twoRules('{ headers: { x-debug: {} } }'));
    // WHEN the header is sent empty, then omitted
    // THEN presence alone decides
    expect(call(sim, { headers: { 'x-debug': '' } }).rule?.ruleIndex).toBe(0);
    expect(call(sim).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 withoutHeaders with a missing header treats it as "" so exact "v2" is inverted to a match', () => {
    // GIVEN rule 0 withoutHeaders x-version exact v2
    const sim = shop(twoRules('{ withoutHeaders: { x-version: { exact: v2 } } }'));
    // WHEN no header, then x-version: v2 are sent
    // THEN the missing header counts as "" (not v2) so rule 0 matches; v2 falls through
    expect(call(sim).rule?.ruleIndex).toBe(0);
    expect(call(sim, { headers: { 'x-version': 'v2' } }).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 withoutHeaders `{}` matches only when the header is absent', () => {
    // GIVEN rule 0 withoutHeaders x-debug {}
    const sim = shop(twoRules('{ withoutHeaders: { x-debug: {} } }'));
    // WHEN the header is sent empty
    // THEN it is present, so rule 0 does not match
    expect(call(sim, { headers: { 'x-debug': '' } }).rule?.ruleIndex).toBe(1);
    expect(call(sim).rule?.ruleIndex).toBe(0);
  });

  test('§1.5 queryParams regex is a full match: \\d+$ matches 123 but not a123; exact "" matches ?k', () => {
    // GIVEN rule 0 query id regex \\d+$ or flag exact ""
    const sim = shop(twoRules('{ queryParams: { id: { regex: "\\\\d+$" } } }, { queryParams: { flag: { exact: "" } } }'));
    // WHEN various query strings are sent
    // THEN RE2 full match semantics apply
    expect(call(sim, { path: '/p?id=123' }).rule?.matchIndex).toBe(0);
    expect(call(sim, { path: '/p?id=a123' }).rule?.ruleIndex).toBe(1);
    expect(call(sim, { path: '/p?flag' }).rule?.matchIndex).toBe(1);
  });

  test('§1.5 authority matches the raw authority including its port', () => {
    // GIVEN rule 0 authority exact reviews:9080
    const sim = shop(twoRules('{ authority: { exact: "reviews:9080" } }'));
    // WHEN the Host is reviews:9080, then reviews
    // THEN only the raw value with port matches; vhost lookup ignores the port either way
    expect(call(sim, { host: 'reviews:9080' }).rule?.ruleIndex).toBe(0);
    expect(call(sim, { host: 'reviews' }).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 method match defaults requests to GET', () => {
    // GIVEN rule 0 method exact POST
    const sim = shop(twoRules('{ method: { exact: POST } }'));
    // WHEN default and POST requests are sent
    // THEN only POST matches rule 0
    expect(call(sim).rule?.ruleIndex).toBe(1);
    expect(call(sim, { method: 'post' }).rule?.ruleIndex).toBe(0);
  });

  test('§1.5 a match-level port keeps the entry only on that listener port', () => {
    // GIVEN rule 0 restricted to port 8080
    const sim = shop(twoRules('{ port: 8080 }'));
    // WHEN the request arrives on 9080
    // THEN entry 0 is dropped and rule 1 decides
    expect(call(sim).rule?.ruleIndex).toBe(1);
  });

  test('§1.5 user regexes are RE2: look-ahead is rejected with the config location', () => {
    // GIVEN a Perl-only regex
    const sim = shop(twoRules('{ headers: { x: { regex: "(?=a)a" } } }'));
    // WHEN it is evaluated
    // THEN a specific error names the VS, field and pattern
    expect(() => call(sim, { headers: { x: 'a' } })).toThrow(/virtualservice shop\/reviews http\[0\]\.match\[0\]\.headers\.x: regex '\(\?=a\)a' is not valid RE2/);
  });
});

describe('§1.3 / §1.2 source selectors on sidecars', () => {
  test('§1.3 sourceNamespace keeps the entry only for callers in that namespace', () => {
    // GIVEN rule 0 for callers in namespace qa
    const sim = shop(twoRules('{ sourceNamespace: qa }'));
    // WHEN callers from qa and shop send the same request
    const fromQa = sim.route({ sourceNamespace: 'qa', host: 'reviews.shop', port: 9080 });
    const fromShop = call(sim);
    // THEN only qa gets rule 0
    expect(fromQa.destinations[0].subset).toBe('v2');
    expect(fromShop.destinations[0].subset).toBe('v1');
  });

  test('§1.2 a match-level gateways list without mesh drops the entry on sidecars', () => {
    // GIVEN rule 0 restricted to a gateway while the VS is bound to mesh only
    const sim = shop(twoRules('{ gateways: [shop/gw] }'));
    // WHEN a sidecar sends a request
    // THEN rule 0 never applies there
    expect(call(sim).rule?.ruleIndex).toBe(1);
  });

  test('§1.2 match-level gateways override sourceLabels: [mesh] keeps the entry for any pod', () => {
    // GIVEN rule 0 with gateways [mesh] and sourceLabels a pod does not carry
    const sim = shop(twoRules('{ gateways: [mesh], sourceLabels: { team: qa } }'));
    // WHEN an unlabelled pod calls
    // THEN sourceLabels are ignored because gateways are set
    expect(call(sim).rule?.ruleIndex).toBe(0);
  });
});

describe('§1.4 hosts', () => {
  test('§1.4 sidecar alt names: bare `reviews` works only from the same namespace', () => {
    // GIVEN only the reviews service (no VS)
    const sim = shop('');
    // WHEN callers in shop and in default use the bare name, and default uses reviews.shop
    const same = call(sim);
    const other = sim.route({ sourceNamespace: 'default', host: 'reviews', port: 9080 });
    const otherQualified = sim.route({ sourceNamespace: 'default', host: 'Reviews.Shop.svc:9080', port: 9080 });
    // THEN the bare name is unknown from default (passthrough) while qualified names work
    expect(same.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
    expect(other.outcome).toBe(RouteOutcome.PASSTHROUGH);
    expect(otherQualified.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });

  test('§1.4 short VS hosts expand with the VS namespace, not the service namespace', () => {
    // GIVEN a VS in namespace default with host `reviews` (meaning reviews.default, which does not exist)
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route: [{ destination: { host: reviews.shop.svc.cluster.local, subset: v2 } }]
`);
    // WHEN a shop pod calls reviews
    const result = call(sim);
    // THEN the VS does not apply to reviews.shop and default routing is used
    expect(result.outcome).toBe(RouteOutcome.DEFAULT_ROUTE);
  });

  test('§1.4 `*.example.com` does not match example.com', () => {
    // GIVEN a mesh VS for *.example.com (non-registry host, so port 80)
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ext, namespace: shop }
spec:
  hosts: ["*.example.com"]
  http:
  - route: [{ destination: { host: reviews, port: { number: 9080 } } }]
`);
    // WHEN api.example.com and example.com are requested on port 80
    const sub = sim.route({ sourceNamespace: 'shop', host: 'API.example.com' });
    const apex = sim.route({ sourceNamespace: 'shop', host: 'example.com' });
    // THEN only the subdomain matches; the apex passes through
    expect(sub.outcome).toBe(RouteOutcome.ROUTED);
    expect(apex.outcome).toBe(RouteOutcome.PASSTHROUGH);
  });
});

describe('§1.7 several VirtualServices for one host on sidecars', () => {
  test('§1.7 the oldest VS wins on sidecars; the other is not merged', () => {
    // GIVEN two mesh VSs for reviews with explicit creation timestamps
    const sim = shop(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: a-newer, namespace: shop, creationTimestamp: "2024-01-02T00:00:00Z" }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /new } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: z-older, namespace: shop, creationTimestamp: "2024-01-01T00:00:00Z" }
spec:
  hosts: [reviews]
  http:
  - match: [{ uri: { prefix: /old } }]
    route: [{ destination: { host: reviews, subset: v1 } }]
`);
    // WHEN /new is requested
    const result = call(sim, { path: '/new' });
    // THEN only the older VS is consulted and it has no /new rule
    expect(result.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(result.notes.join('\n')).toMatch(/older VirtualService already owns/);
  });
});
