import { ApiObject, Duration, Testing } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import {
  BlueGreen, BlueGreenProps, Canary, CanaryProps, FlaggerAnalysisProps, FlaggerMetric, GatewayBinding, PortProtocol, RequestMatch, VersionWorkload,
  ReleaseOutput,
} from '../../src';
import { route } from '../routing';

const HTTP = [{ port: 80, protocol: PortProtocol.HTTP }];

function blueGreen(props: Partial<BlueGreenProps>) {
  const chart = Testing.chart();
  new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP, ...props });
  return chart;
}

function canary(props: Partial<CanaryProps>) {
  const chart = Testing.chart();
  new Canary(chart, 'api', { serviceName: 'api', ports: HTTP, stable: { name: 'v1' }, canary: { name: 'v2' }, canaryWeight: 10, ...props });
  return chart;
}

describe('settings that would do nothing are errors', () => {
  test('canaryWeight on a canary that writes no VirtualService', () => {
    expect(() => canary({ meshRouting: false }))
      .toThrow('test/api: canaryWeight 10 would have no effect: the release writes no VirtualService (meshRouting: false and no hosts), so callers reach every pod of the Service; give the release hosts or leave meshRouting on');
  });

  test('activeVersion on a blue/green release that writes no VirtualService', () => {
    expect(() => blueGreen({ meshRouting: false, activeVersion: 'blue' })).toThrow(/test\/web: activeVersion 'blue' would have no effect: the release writes no VirtualService/);
    // a release without routing at all stays allowed: its Service and subsets serve other routes
    expect(() => blueGreen({ meshRouting: false })).not.toThrow();
  });

  test('versionAffinity without the mesh VirtualService', () => {
    expect(() => blueGreen({ meshRouting: false, hosts: ['web.example.com'], versionAffinity: true }))
      .toThrow('test/web: versionAffinity needs the mesh VirtualService, but meshRouting is false: in-mesh callers would reach every version; remove meshRouting: false or versionAffinity');
  });

  test('httpsRedirect or serveHttp without credentialName, and both at once', () => {
    const gateway = (options: Parameters<typeof GatewayBinding.create>[0]) => () => blueGreen({ hosts: ['web.example.com'], gateway: GatewayBinding.create(options) });
    expect(gateway({ httpsRedirect: true })).toThrow(/^test\/web: gateway httpsRedirect: true without credentialName: the Gateway has no HTTPS server/);
    expect(gateway({ serveHttp: true })).toThrow(/^test\/web: gateway serveHttp: true without credentialName/);
    expect(gateway({ credentialName: 'tls', httpsRedirect: true, serveHttp: true })).toThrow(/test\/web: gateway httpsRedirect and serveHttp are both true/);
  });

  test('a Service name that starts with a digit', () => {
    expect(() => blueGreen({ serviceName: '9web' })).toThrow("test/web: invalid service name '9web': Kubernetes Service names must start with a letter (a DNS-1035 label); e.g. 'svc-9web'");
  });
});

describe('a TLS gateway can serve HTTP and HTTPS side by side', () => {
  test('with serveHttp, port 80 serves the same routes as 443', () => {
    // GIVEN
    const chart = blueGreen({ hosts: ['web.example.com'], versions: [{ name: 'blue' }, { name: 'green' }], activeVersion: 'green', gateway: GatewayBinding.create({ credentialName: 'web-tls', serveHttp: true }) });

    // WHEN
    const request = (port: number) => route(chart, { gateway: 'default/web-gateway', host: 'web.example.com', port, path: '/' });

    // THEN
    expect(request(80)).toMatchObject({ status: 200, to: { green: 100 } });
    expect(request(443)).toMatchObject({ status: 200, to: { green: 100 } });
  });

  test('without it, plain HTTP is not served at all', () => {
    const chart = blueGreen({ hosts: ['web.example.com'], gateway: GatewayBinding.create({ credentialName: 'web-tls' }) });
    const gateway = Testing.synth(chart).find((m) => m.kind === 'Gateway');
    expect(gateway.spec.servers.map((s: any) => s.port.number)).toEqual([443]);
  });
});

describe('request matches that can never hold are errors', () => {
  const withMatch = (match: RequestMatch) => () => canary({ match: [match] });

  test('a query string in a uri, and a space', () => {
    expect(withMatch(RequestMatch.uriExact('/checkout?beta=1')))
      .toThrow("test/api (match[0]): invalid uriExact '/checkout?beta=1': Envoy matches the path without the query string or fragment, so '?beta=1' would never match; match the path '/checkout' alone");
    expect(withMatch(RequestMatch.uriPrefix('/my docs'))).toThrow(/test\/api \(match\[0\]\): invalid uriPrefix '\/my docs': character " " never appears in a request path/);
  });

  test('header values with CR or LF, surrounding spaces, or beyond Envoy\'s header limit', () => {
    expect(withMatch(RequestMatch.header('x-user', 'a\r\nb'))).toThrow(/test\/api \(match\[0\]\): invalid value "a\\r\\nb" for header 'x-user': control character "\\r" cannot be sent/);
    expect(withMatch(RequestMatch.header('x-user', ' alice'))).toThrow(/HTTP strips leading and trailing whitespace/);
    expect(withMatch(RequestMatch.headerPrefix('x-user', 'a'.repeat(61 * 1024)))).toThrow(/prefix for header 'x-user' is 62464 bytes: Envoy refuses requests whose headers exceed 61440 bytes/);
    expect(withMatch(RequestMatch.headerPrefix('x-user', 'alice '))).not.toThrow();
  });

  test('a cookie match whose regex exceeds Istio\'s limit', () => {
    expect(withMatch(RequestMatch.cookie('session', 'x'.repeat(1020)))).toThrow(/test\/api \(match\[0\]\): cookie session=x+ is too long: its match regex has \d+ characters and Istio accepts at most 1024/);
  });
});

describe('Flagger', () => {
  const flagger = (analysis: FlaggerAnalysisProps, props: Partial<BlueGreenProps> = {}) => blueGreen({
    hosts: ['web.example.com'],
    versions: [{ name: 'blue' }, { name: 'green', workload: VersionWorkload.container({ image: 'web:2' }) }],
    activeVersion: 'green',
    output: ReleaseOutput.flagger(analysis),
    ...props,
  });
  const canarySpec = (chart: ReturnType<typeof blueGreen>) => Testing.synth(chart).find((m) => m.kind === 'Canary').spec;

  test('built-in metrics that can never pass', () => {
    expect(() => flagger({ metrics: [FlaggerMetric.requestSuccessRate(120)] }))
      .toThrow('test/web (flagger): requestSuccessRate(120) can never pass: the success rate is a percentage from 0 to 100, so every rollout would roll back; use e.g. requestSuccessRate(99)');
    expect(() => flagger({ metrics: [FlaggerMetric.requestDuration(-1)] }))
      .toThrow('test/web (flagger): requestDuration(-1) can never pass: request durations are above 0 ms, so every rollout would roll back; use e.g. requestDuration(500)');
  });

  test('a workload on a version Flagger does not roll out', () => {
    expect(() => flagger({}, { activeVersion: 'blue' }))
      .toThrow("test/web (flagger): version 'green' declares a workload, but Flagger rolls out only the activeVersion 'blue', which has none, so the workload would be dropped; move the workload to 'blue' or set activeVersion: 'green'");
  });

  test('durations that are not a whole number of milliseconds name the construct', () => {
    expect(() => flagger({ interval: Duration.seconds(NaN) })).toThrow(/^test\/web \(flagger\): invalid interval \('NaN seconds' cannot be converted into a whole number of millis\): use a whole, finite number of milliseconds/);
    expect(() => flagger({ routeTimeout: Duration.millis(0.5) })).toThrow(/^test\/web \(flagger\): invalid routeTimeout \(0.5 must be a whole number of millis\)/);
    expect(() => flagger({ rolloutTimeout: Duration.millis(1500) })).toThrow("test/web (flagger): rolloutTimeout 1500ms is not a whole number of seconds: Flagger's progressDeadlineSeconds takes seconds, e.g. Duration.minutes(10)");
  });

  test('Kurator\'s rollout timeout and route timeout become Flagger progressDeadlineSeconds and service.timeout', () => {
    const spec = canarySpec(flagger({ rolloutTimeout: Duration.minutes(10), routeTimeout: Duration.seconds(30) }));
    expect(spec.progressDeadlineSeconds).toBe(600);
    expect(spec.service.timeout).toBe('30s');
    expect(canarySpec(flagger({}))).not.toHaveProperty('progressDeadlineSeconds');
  });
});

describe('a workload built with another cdk8s-plus major', () => {
  test('attaches through fromApiObject and gets the version labels', () => {
    // GIVEN a cdk8s-plus-33 Deployment
    const chart = Testing.chart();
    const deployment = new kplus33.Deployment(chart, 'green-deploy', { containers: [{ image: 'web:2', portNumber: 8080, securityContext: { user: 1000 } }] });

    // WHEN
    new BlueGreen(chart, 'web', { serviceName: 'web', ports: [{ port: 80, targetPort: 8080, protocol: PortProtocol.HTTP }], versions: [{ name: 'blue' }, { name: 'green', workload: VersionWorkload.fromApiObject(ApiObject.of(deployment)) }] });

    // THEN
    const synthesized = Testing.synth(chart).find((m) => m.kind === 'Deployment');
    expect(synthesized.spec.template.metadata.labels).toMatchObject({ app: 'web', version: 'green' });
    expect(synthesized.spec.selector.matchLabels).toMatchObject({ app: 'web', version: 'green' });
  });

  test('passed to fromWorkload, is an error that points to fromApiObject', () => {
    const chart = Testing.chart();
    const deployment = new kplus33.Deployment(chart, 'green-deploy', { containers: [{ image: 'web:2' }] });
    expect(() => VersionWorkload.fromWorkload(deployment as any))
      .toThrow('test/green-deploy: not a cdk8s-plus-27 workload: workloads built with another cdk8s-plus major (e.g. cdk8s-plus-33) or as plain objects are attached with VersionWorkload.fromApiObject(ApiObject.of(workload))');
  });
});
