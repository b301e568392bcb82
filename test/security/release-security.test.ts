import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { toJson_AuthorizationPolicySpec, toJson_PeerAuthenticationSpec } from '../../imports/security.istio.io';
import {
  AllowedCaller, BlueGreen, BlueGreenProps, GatewayBinding, IstioApiVersion, MutualTls, PortProtocol, ReleaseOutput, VersionWorkload,
  WorkloadIdentity,
} from '../../src';
import { CrdSchemas } from '../validation/crd-schema';

const schemas = CrdSchemas.load();

/** A web server with blue and green Deployments in `shop`, plus whatever the test adds. */
function web(chart: Chart, props: Partial<BlueGreenProps> = {}): BlueGreen {
  return new BlueGreen(chart, 'web', {
    serviceName: 'web',
    namespace: 'shop',
    ports: [{ port: 80, targetPort: 8080, protocol: PortProtocol.HTTP }],
    versions: [
      { name: 'blue', workload: VersionWorkload.container({ image: 'web:1' }) },
      { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) },
    ],
    versionAffinity: true,
    identity: WorkloadIdentity.serviceAccountPerVersion(),
    ...props,
  });
}

/** A database in `shop` reached from the mesh only. */
function db(chart: Chart, props: Partial<BlueGreenProps> = {}): BlueGreen {
  return new BlueGreen(chart, 'db', {
    serviceName: 'db',
    namespace: 'shop',
    ports: [{ port: 3306, protocol: PortProtocol.TCP }, { port: 9104, protocol: PortProtocol.HTTP }],
    versionAffinity: true,
    ...props,
  });
}

/** The database with a metrics port that a scraper outside the mesh calls in plain text. */
const WITH_PLAIN_METRICS = [{ port: 3306, protocol: PortProtocol.TCP }, { port: 9104, protocol: PortProtocol.HTTP, plainTextClients: true }];

const specsOf = (chart: Chart, kind: string) => Testing.synth(chart).filter((o) => o.kind === kind);

describe('strict mutual TLS', () => {
  test('a STRICT PeerAuthentication selects the release by its app label; port exceptions are keyed by target port', () => {
    // GIVEN
    const chart = Testing.chart();
    const ports = [{ port: 3306, protocol: PortProtocol.TCP }, { port: 9104, targetPort: 9105, protocol: PortProtocol.HTTP }];
    db(chart, { mtls: MutualTls.strict({ permissivePorts: [9104] }), ports });

    // WHEN
    const [pa] = specsOf(chart, 'PeerAuthentication');

    // THEN
    expect(pa.apiVersion).toBe('security.istio.io/v1');
    expect(pa.metadata).toEqual({ name: 'db', namespace: 'shop', labels: { app: 'db' } });
    expect(pa.spec).toEqual({ selector: { matchLabels: { app: 'db' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9105: { mode: 'PERMISSIVE' } } });
  });

  test('the DestinationRule gets no tls setting, so automatic mutual TLS stays in charge', () => {
    const chart = Testing.chart();
    db(chart, { mtls: MutualTls.strict() });
    const [rule] = specsOf(chart, 'DestinationRule');
    expect(rule.spec.trafficPolicy).toBeUndefined();
    expect(rule.spec.subsets.every((s: any) => s.trafficPolicy === undefined)).toBe(true);
  });

  test('fails for STRICT on a port declared with plain-text clients, explaining the reset and the fix', () => {
    const chart = Testing.chart();
    expect(() => db(chart, { mtls: MutualTls.strict(), ports: WITH_PLAIN_METRICS }))
      .toThrow('test/db: port 9104 takes plain-text clients (plainTextClients), but MutualTls.strict() makes the pods reject every connection without mutual TLS, so those clients would see their connections reset; keep the port open with MutualTls.strict({ permissivePorts: [9104] }) (plain text and mTLS) or disabledPorts (plain text only), or stop declaring plain-text clients');
  });

  test('accepts plain-text clients on a permissive port', () => {
    const chart = Testing.chart();
    db(chart, { mtls: MutualTls.strict({ disabledPorts: [9104] }), ports: WITH_PLAIN_METRICS });
    expect(specsOf(chart, 'PeerAuthentication')[0].spec.portLevelMtls).toEqual({ 9104: { mode: 'DISABLE' } });
  });

  test('fails for a port exception that is not a port of the release, or listed twice', () => {
    expect(() => db(Testing.chart(), { mtls: MutualTls.strict({ permissivePorts: [8080] }) }))
      .toThrow("test/db: unknown port 8080 in MutualTls.strict permissivePorts: the release's ports are 3306, 9104");
    expect(() => db(Testing.chart(), { mtls: MutualTls.strict({ permissivePorts: [9104], disabledPorts: [9104] }) }))
      .toThrow("test/db: MutualTls.strict: duplicate port exception '9104': each port exception may be declared once");
  });
});

describe('allowed callers', () => {
  test('an ALLOW policy on the app label admits exactly the listed callers, by principal and namespace', () => {
    // GIVEN a web server with its own identity and a database that lists every kind of caller
    const chart = Testing.chart();
    const server = web(chart);
    db(chart, {
      allowedCallers: [
        AllowedCaller.release(server),
        AllowedCaller.serviceAccount('ops', 'backup'),
        AllowedCaller.namespace('monitoring'),
      ],
    });

    // WHEN
    const [policy] = specsOf(chart, 'AuthorizationPolicy');

    // THEN
    expect(policy.metadata.name).toBe('db');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { app: 'db' } },
      action: 'ALLOW',
      rules: [{
        from: [
          { source: { principals: ['cluster.local/ns/shop/sa/web-blue', 'cluster.local/ns/shop/sa/web-green', 'cluster.local/ns/ops/sa/backup'] } },
          { source: { namespaces: ['monitoring'] } },
        ],
      }],
    });
  });

  test('the ingress gateway of a created Gateway for the default pods is istio-system/istio-ingressgateway-service-account; mesh() is any identity', () => {
    const chart = Testing.chart();
    web(chart, { hosts: ['shop.example.com'], allowedCallers: [AllowedCaller.ingressGateway(), AllowedCaller.mesh()] });
    expect(specsOf(chart, 'AuthorizationPolicy')[0].spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account', '*'] } }],
    }]);
  });

  test('a gateway with other pods or bound by reference needs its identity stated, which then is used', () => {
    // GIVEN gateways whose pods are not the default ingress gateway
    const custom = GatewayBinding.create({ selector: { istio: 'internal' } });
    const shared = GatewayBinding.fromReference('edge/public');

    // THEN without a stated identity the release cannot tell
    expect(() => web(Testing.chart(), { hosts: ['shop.example.com'], gateway: custom, allowedCallers: [AllowedCaller.ingressGateway()] }))
      .toThrow('test/web: cannot tell which service account the gateway pods of shop/web-gateway run as: the Gateway selects pods {"istio":"internal"}, not the default ingress gateway ({"istio":"ingressgateway"}); state it with AllowedCaller.ingressGateway({ namespace: \'...\', serviceAccount: \'...\' })');
    expect(() => web(Testing.chart(), { hosts: ['shop.example.com'], gateway: shared, allowedCallers: [AllowedCaller.ingressGateway()] }))
      .toThrow(/gateway pods of edge\/public run as: the Gateway edge\/public is bound by reference/);

    // AND with one, the policy names it
    const chart = Testing.chart();
    web(chart, { hosts: ['shop.example.com'], gateway: shared, allowedCallers: [AllowedCaller.ingressGateway({ namespace: 'edge', serviceAccount: 'public-gateway' })] });
    expect(specsOf(chart, 'AuthorizationPolicy')[0].spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/edge/sa/public-gateway']);
  });

  test('with sameVersionCallersOnly each version admits the same version of the calling release, and every version the other callers', () => {
    // GIVEN
    const chart = Testing.chart();
    const server = web(chart);
    db(chart, { allowedCallers: [AllowedCaller.release(server), AllowedCaller.serviceAccount('ops', 'backup')], sameVersionCallersOnly: true });

    // WHEN
    const policies = specsOf(chart, 'AuthorizationPolicy');

    // THEN
    expect(policies.map((p) => [p.metadata.name, p.spec.selector.matchLabels, p.spec.rules[0].from[0].source.principals])).toEqual([
      ['db-blue', { app: 'db', version: 'blue' }, ['cluster.local/ns/shop/sa/web-blue', 'cluster.local/ns/ops/sa/backup']],
      ['db-green', { app: 'db', version: 'green' }, ['cluster.local/ns/shop/sa/web-green', 'cluster.local/ns/ops/sa/backup']],
    ]);
  });

  test('the escape hatches expose the objects', () => {
    const chart = Testing.chart();
    const server = web(chart);
    const database = db(chart, { mtls: MutualTls.strict(), allowedCallers: [AllowedCaller.release(server)] });
    expect(database.peerAuthentication?.kind).toBe('PeerAuthentication');
    expect(database.authorizationPolicies.map((p) => p.name)).toEqual(['db']);
    expect(server.serviceAccounts.map((s) => s.name)).toEqual(['web-blue', 'web-green']);
    expect(db(Testing.chart()).authorizationPolicies).toEqual([]);
  });

  test('IstioApiVersion.V1BETA1 writes security.istio.io/v1beta1 for older clusters', () => {
    const chart = Testing.chart();
    db(chart, { apiVersion: IstioApiVersion.V1BETA1, mtls: MutualTls.strict(), allowedCallers: [AllowedCaller.mesh()] });
    expect(Testing.synth(chart).filter((o) => o.apiVersion.startsWith('security.')).map((o) => o.apiVersion)).toEqual(['security.istio.io/v1beta1', 'security.istio.io/v1beta1']);
  });
});

describe('workload identity', () => {
  test('per version: a ServiceAccount per version, and each created Deployment runs as its own', () => {
    // GIVEN / WHEN
    const chart = Testing.chart();
    web(chart);

    // THEN
    expect(specsOf(chart, 'ServiceAccount').map((s) => s.metadata)).toEqual([
      { name: 'web-blue', namespace: 'shop', labels: { app: 'web', version: 'blue' } },
      { name: 'web-green', namespace: 'shop', labels: { app: 'web', version: 'green' } },
    ]);
    expect(specsOf(chart, 'Deployment').map((d) => [d.metadata.name, d.spec.template.spec.serviceAccountName])).toEqual([['web-blue', 'web-blue'], ['web-green', 'web-green']]);
  });

  test('per release: one ServiceAccount; an existing one: none created, the workloads the release labels run as it', () => {
    const perRelease = Testing.chart();
    web(perRelease, { identity: WorkloadIdentity.serviceAccountPerRelease() });
    expect(specsOf(perRelease, 'ServiceAccount').map((s) => s.metadata.name)).toEqual(['web']);

    // GIVEN a workload brought as a plain object
    const existing = Testing.chart();
    const blue = new ApiObject(existing, 'blue', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy' }, spec: { template: { metadata: {}, spec: { containers: [] } } } });
    web(existing, { identity: WorkloadIdentity.existingServiceAccount('legacy-web'), versions: [{ name: 'blue', workload: VersionWorkload.fromApiObject(blue) }] });

    // THEN
    expect(specsOf(existing, 'ServiceAccount')).toEqual([]);
    expect(specsOf(existing, 'Deployment')[0].spec.template.spec.serviceAccountName).toBe('legacy-web');
  });

  test('fails to run a workload as the release identity when it already runs as another service account', () => {
    const chart = Testing.chart();
    const account = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'batch');
    const deployment = new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'web:0' }], serviceAccount: account });
    expect(() => web(chart, { versions: [{ name: 'blue', workload: VersionWorkload.fromWorkload(deployment) }] }))
      .toThrow("test/web: version 'blue' cannot run Deployment test/legacy as service account 'web-blue': its pods already run as 'batch'; declare identity: WorkloadIdentity.existingServiceAccount('batch') or remove the service account from the workload");
  });
});

describe('bad caller declarations fail at synth time with the fix', () => {
  test('namespace and service account shapes', () => {
    expect(() => AllowedCaller.namespace('Shop')).toThrow("AllowedCaller.namespace: invalid namespace 'Shop': must be a DNS-1123 label");
    expect(() => AllowedCaller.serviceAccount('shop', 'cluster.local/ns/shop/sa/web'))
      .toThrow("AllowedCaller.serviceAccount: invalid service account name 'cluster.local/ns/shop/sa/web': give the namespace and the bare name separately (e.g. AllowedCaller.serviceAccount('shop', 'web')), not a principal such as 'cluster.local/ns/shop/sa/web' or 'shop/web'");
    expect(() => AllowedCaller.serviceAccount('shop', 'Web_1')).toThrow("AllowedCaller.serviceAccount: invalid service account name 'Web_1': must be a DNS-1123 subdomain");
    expect(() => AllowedCaller.ingressGateway({ namespace: 'istio system' })).toThrow("AllowedCaller.ingressGateway: invalid namespace 'istio system'");
    expect(() => WorkloadIdentity.existingServiceAccount('a/b') && web(Testing.chart(), { identity: WorkloadIdentity.existingServiceAccount('a/b') }))
      .toThrow("test/web: WorkloadIdentity.existingServiceAccount: invalid service account name 'a/b'");
  });

  test('unknown releases: not a release, of another app, or without an identity of its own', () => {
    expect(() => AllowedCaller.release({ name: 'web' } as any)).toThrow('AllowedCaller.release: expected a BlueGreen or Canary release, got {"name":"web"}');

    const other = web(Testing.chart());
    expect(() => db(new Chart(new App(), 'second'), { allowedCallers: [AllowedCaller.release(other)] }))
      .toThrow('second/db: AllowedCaller.release(test/web) names a release of another app: only releases synthesized together are known; use AllowedCaller.serviceAccount(namespace, name) for workloads of other apps');

    const chart = Testing.chart();
    const anonymous = web(chart, { identity: undefined });
    expect(() => db(chart, { allowedCallers: [AllowedCaller.release(anonymous)] }))
      .toThrow("test/db: AllowedCaller.release(test/web) has no identity of its own: its pods run as the namespace's 'default' service account, which every other such pod in namespace 'shop' shares, so admitting it would admit them all; give 'web' identity: WorkloadIdentity.serviceAccountPerVersion() (or existingServiceAccount(name) for workloads that already have one)");
  });

  test('an empty or repeated allow-list', () => {
    expect(() => db(Testing.chart(), { allowedCallers: [] })).toThrow('test/db: allowedCallers is empty: the AuthorizationPolicy would deny every caller; list who may call (e.g. AllowedCaller.mesh()), or leave allowedCallers out to allow everyone');
    expect(() => db(Testing.chart(), { allowedCallers: [AllowedCaller.namespace('ops'), AllowedCaller.namespace('ops')] }))
      .toThrow("test/db: duplicate allowed caller AllowedCaller.namespace('ops'): each caller may be listed once");
  });

  test('an allow-list that locks out the release\'s own gateway', () => {
    expect(() => web(Testing.chart(), { hosts: ['shop.example.com'], allowedCallers: [AllowedCaller.namespace('shop')] }))
      .toThrow("test/web: allowedCallers (AllowedCaller.namespace('shop')) lock out the release's own gateway shop/web-gateway (pods running as istio-system/istio-ingressgateway-service-account): every request to shop.example.com would get 403; add AllowedCaller.ingressGateway()");
    // the gateway's namespace admits it
    web(Testing.chart(), { hosts: ['shop.example.com'], allowedCallers: [AllowedCaller.namespace('istio-system')] });
  });

  test('the ingress gateway on a release without hosts', () => {
    expect(() => db(Testing.chart(), { allowedCallers: [AllowedCaller.ingressGateway()] }))
      .toThrow('test/db: AllowedCaller.ingressGateway() on a release without hosts: no gateway routes to it; declare hosts, or name the gateway\'s pods with AllowedCaller.serviceAccount(namespace, name)');
  });

  test('an allow-list that locks out callers which cannot show an identity', () => {
    expect(() => db(Testing.chart(), { mtls: MutualTls.strict({ disabledPorts: [9104] }), allowedCallers: [AllowedCaller.mesh()] }))
      .toThrow('test/db: target port 9104 is plain text only (MutualTls.strict disabledPorts), so no caller presents an identity there and allowedCallers (AllowedCaller.mesh()) would deny every request to it; use permissivePorts instead, which keeps mutual TLS for callers in the mesh');
    const plainDb = [{ port: 3306, protocol: PortProtocol.TCP, plainTextClients: true }];
    expect(() => db(Testing.chart(), { ports: plainDb, allowedCallers: [AllowedCaller.mesh()] }))
      .toThrow('test/db: port 3306 takes plain-text clients (plainTextClients), which carry no identity, so allowedCallers (AllowedCaller.mesh()) would deny them all with 403; give those clients a sidecar and list them, or leave allowedCallers out');
  });

  test('sameVersionCallersOnly that cannot work, locks out caller versions, or restricts nothing', () => {
    const withServer = (serverProps: Partial<BlueGreenProps>, dbProps: (server: BlueGreen) => Partial<BlueGreenProps>) => () => {
      const chart = Testing.chart();
      const server = web(chart, serverProps);
      db(chart, { sameVersionCallersOnly: true, allowedCallers: [AllowedCaller.release(server)], ...dbProps(server) });
    };
    expect(withServer({}, () => ({ versionAffinity: false })))
      .toThrow('test/db: sameVersionCallersOnly needs versionAffinity: true, which routes each caller to the version of its own name; without it a green caller would be sent to blue pods that deny it');
    expect(withServer({}, () => ({ allowedCallers: [AllowedCaller.namespace('ops')] })))
      .toThrow("test/db: sameVersionCallersOnly restricts release callers only, and allowedCallers (AllowedCaller.namespace('ops')) names none; add AllowedCaller.release(...) or drop sameVersionCallersOnly");
    expect(withServer({ identity: WorkloadIdentity.serviceAccountPerRelease() }, () => ({})))
      .toThrow('test/db: sameVersionCallersOnly cannot tell the versions of AllowedCaller.release(test/web) apart: they share one service account; give it identity: WorkloadIdentity.serviceAccountPerVersion()');
    expect(withServer({ versions: [{ name: 'blue' }, { name: 'red' }] }, () => ({})))
      .toThrow("test/db: with sameVersionCallersOnly, version 'red' of AllowedCaller.release(test/web) would be locked out: this release has no live version of that name (live: blue, green); declare it here, or drop sameVersionCallersOnly");
    expect(withServer({}, (server) => ({ allowedCallers: [AllowedCaller.release(server), AllowedCaller.mesh()] })))
      .toThrow('test/db: sameVersionCallersOnly has no effect on AllowedCaller.release(test/web): AllowedCaller.mesh() admits every version of it anyway; remove AllowedCaller.mesh() or drop sameVersionCallersOnly');
    expect(() => db(Testing.chart(), { sameVersionCallersOnly: true }))
      .toThrow('test/db: sameVersionCallersOnly without allowedCallers restricts nothing: list the calling releases, e.g. allowedCallers: [AllowedCaller.release(web)]');
  });

  test('caller security with Flagger is refused, explaining why', () => {
    expect(() => new BlueGreen(Testing.chart(), 'api', {
      serviceName: 'api',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      versions: [{ name: 'v2', workload: VersionWorkload.container({ image: 'api:2' }) }],
      activeVersion: 'v2',
      output: ReleaseOutput.flagger(),
      mtls: MutualTls.strict(),
    })).toThrow("test/api: mtls, allowedCallers and identity cannot be combined with flagger yet: Flagger renames the primary's app label to 'api-primary'");
  });
});

describe('emitted objects against the Istio 1.30.3 CRDs', () => {
  test('PeerAuthentications and AuthorizationPolicies of every shape validate (structural schema and CEL rules)', () => {
    // GIVEN every shape the library writes: port exceptions, each caller kind, per-version policies, both API versions
    const chart = Testing.chart();
    const server = web(chart, { hosts: ['shop.example.com'], mtls: MutualTls.strict(), allowedCallers: [AllowedCaller.ingressGateway(), AllowedCaller.mesh()] });
    db(chart, {
      mtls: MutualTls.strict({ permissivePorts: [9104] }),
      allowedCallers: [AllowedCaller.release(server), AllowedCaller.serviceAccount('ops', 'backup'), AllowedCaller.namespace('monitoring')],
      sameVersionCallersOnly: true,
    });
    new BlueGreen(chart, 'cache', {
      serviceName: 'cache',
      namespace: 'shop',
      apiVersion: IstioApiVersion.V1BETA1,
      ports: [{ port: 6379, protocol: PortProtocol.TCP }, { port: 9121, protocol: PortProtocol.HTTP }],
      mtls: MutualTls.strict({ disabledPorts: [9121] }),
    });

    // WHEN
    const objects = Testing.synth(chart).filter((o) => o.apiVersion.startsWith('security.istio.io/'));

    // THEN
    expect(objects.map((o) => `${o.kind} ${o.apiVersion} ${o.metadata.name}`)).toEqual([
      'PeerAuthentication security.istio.io/v1 web',
      'AuthorizationPolicy security.istio.io/v1 web',
      'PeerAuthentication security.istio.io/v1 db',
      'AuthorizationPolicy security.istio.io/v1 db-blue',
      'AuthorizationPolicy security.istio.io/v1 db-green',
      'PeerAuthentication security.istio.io/v1beta1 cache',
    ]);
    expect(objects.flatMap((o) => schemas.validate(o).map((p) => `${o.kind}/${o.metadata.name}${p.path}: ${p.message}`))).toEqual([]);
    expect([...schemas.unsupportedRules.keys()]).toEqual([]);
  });

  test('the schema check can fail: port-level mTLS without a selector and serviceAccounts beside principals are rejected', () => {
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'x' }, spec: { mtls: { mode: 'STRICT' }, portLevelMtls: { 80: { mode: 'DISABLE' } } } };
    const ap = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'x' }, spec: { rules: [{ from: [{ source: { serviceAccounts: ['a'], principals: ['b'] } }] }] } };
    expect(schemas.validate(pa).map((p) => p.message)).toEqual(['portLevelMtls requires selector (has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? self.selector.matchLabels : {}).size() > 0) : true)']);
    expect(schemas.validate(ap).map((p) => p.path)).toEqual(['/spec/rules/0/from/0/source']);
  });

  test('specs are already in wire format: the generated converters change nothing', () => {
    const chart = Testing.chart();
    db(chart, { mtls: MutualTls.strict({ permissivePorts: [9104] }), allowedCallers: [AllowedCaller.serviceAccount('ops', 'backup'), AllowedCaller.namespace('ops2')] });
    const [pa, ap] = Testing.synth(chart).filter((o) => o.apiVersion.startsWith('security.istio.io/'));
    expect(JSON.parse(JSON.stringify(toJson_PeerAuthenticationSpec(pa.spec)))).toEqual(pa.spec);
    expect(JSON.parse(JSON.stringify(toJson_AuthorizationPolicySpec(ap.spec)))).toEqual(ap.spec);
  });
});
