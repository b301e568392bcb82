import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  BlueGreen, BlueGreenProps, Canary, CanaryProps, CookieRoute, FlaggerAnalysisProps, FlaggerMetric, FlaggerWebhook, FlaggerWebhookType,
  GatewayBinding, PortProtocol, PreviewHosts, RequestMatch, VersionWorkload,
  ReleaseOutput,
} from '../src';
import { manifestsOf } from './routing';

const HTTP = [{ port: 9898, protocol: PortProtocol.HTTP }];
const podinfo = (tag: string) => VersionWorkload.container({ image: `ghcr.io/stefanprodan/podinfo:${tag}`, portNumber: 9898 });

function blueGreen(flagger: FlaggerAnalysisProps, props: Partial<BlueGreenProps> = {}): Chart {
  const chart = Testing.chart();
  new BlueGreen(chart, 'backend', {
    serviceName: 'backend',
    namespace: 'webapp',
    ports: HTTP,
    hosts: ['backend.example.com'],
    gateway: GatewayBinding.fromReference('istio-system/public-gateway'),
    versions: [{ name: 'blue', workload: podinfo('6.5.3') }, { name: 'green', workload: podinfo('6.5.4') }],
    activeVersion: 'green',
    output: ReleaseOutput.flagger(flagger),
    ...props,
  });
  return chart;
}

function canary(flagger: FlaggerAnalysisProps, props: Partial<CanaryProps> = {}): Chart {
  const chart = Testing.chart();
  new Canary(chart, 'backend', {
    serviceName: 'backend',
    namespace: 'webapp',
    ports: HTTP,
    stable: { name: 'v1' },
    canary: { name: 'v2', workload: podinfo('6.5.4') },
    canaryWeight: 0,
    output: ReleaseOutput.flagger(flagger),
    ...props,
  });
  return chart;
}

const canarySpec = (chart: Chart) => manifestsOf(chart, 'Canary')[0].spec;

describe('what a release handed to Flagger writes', () => {
  test('one workload named after the service, a Canary, and no static routing', () => {
    const chart = blueGreen({});
    expect(Testing.synth(chart).map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/backend', 'Canary/backend']);
    const [deployment] = manifestsOf(chart, 'Deployment');
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'backend' });
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.5.4');
  });

  test('the target has no replica count unless one is declared, so GitOps syncs do not undo Flagger scaling', () => {
    expect(manifestsOf(blueGreen({}), 'Deployment')[0].spec.replicas).toBeUndefined();
    const pinned = blueGreen({}, { versions: [{ name: 'blue' }, { name: 'green', workload: VersionWorkload.container({ image: 'podinfo:1', replicas: 3 }) }] });
    expect(manifestsOf(pinned, 'Deployment')[0].spec.replicas).toBe(3);
  });

  test('target ref, service port, gateways, hosts and traffic policy', () => {
    const spec = canarySpec(blueGreen({}));
    expect(spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' });
    expect(spec.service).toEqual({
      port: 9898,
      targetPort: 9898,
      portName: 'http-9898',
      gateways: ['istio-system/public-gateway', 'mesh'],
      hosts: ['backend.example.com'],
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    });
  });

  test('a created gateway is still written, and the mesh can be left out', () => {
    const chart = blueGreen({}, { gateway: undefined, meshRouting: false });
    expect(manifestsOf(chart, 'Gateway').map((g) => g.metadata.name)).toEqual(['backend-gateway']);
    expect(canarySpec(chart).service.gateways).toEqual(['webapp/backend-gateway']);
  });

  test('an existing workload is referenced by its own name and kind', () => {
    const chart = Testing.chart();
    const daemon = new kplus.DaemonSet(chart, 'agent', { containers: [{ image: 'agent:2' }], metadata: { name: 'agent' } });
    new BlueGreen(chart, 'agent-release', { serviceName: 'agent', ports: HTTP, versions: [{ name: 'v2', workload: VersionWorkload.fromWorkload(daemon) }], activeVersion: 'v2', output: ReleaseOutput.flagger() });
    expect(canarySpec(chart).targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' });
  });
});

describe('analysis modes Flagger infers', () => {
  test('BlueGreen becomes blue/green: iterations, no weights', () => {
    const analysis = canarySpec(blueGreen({ interval: Duration.seconds(90), threshold: 2, iterations: 3 })).analysis;
    expect(analysis).toMatchObject({ interval: '90s', threshold: 2, iterations: 3 });
    expect(analysis.stepWeight).toBeUndefined();
    expect(analysis.match).toBeUndefined();
  });

  test('Canary becomes a progressive canary: stepWeight and maxWeight, or stepWeights', () => {
    expect(canarySpec(canary({ stepWeight: 5, maxWeight: 30 })).analysis).toMatchObject({ stepWeight: 5, maxWeight: 30 });
    const steps = canarySpec(canary({ stepWeights: [1, 10, 50] })).analysis;
    expect(steps.stepWeights).toEqual([1, 10, 50]);
    expect(steps.iterations).toBeUndefined();
  });

  test('Canary with force routes becomes A/B testing on those headers and cookies', () => {
    const analysis = canarySpec(canary({ iterations: 4 }, { forceCanary: [RequestMatch.header('x-canary', 'insider'), RequestMatch.cookie('canary', 'always')] })).analysis;
    expect(analysis.iterations).toBe(4);
    expect(analysis.match).toEqual([
      { headers: { 'x-canary': { exact: 'insider' } } },
      { headers: { cookie: { regex: '^(.*?;\\s*)?(canary=always)(;.*)?$' } } },
    ]);
  });

  test('split limits, mirroring and session affinity carry over', () => {
    const spec = canarySpec(canary({}, { match: [RequestMatch.uriPrefix('/api')], mirrorPercentage: 20, stickySessions: { cookieName: 'pin', maxAgeSeconds: 3600 } }));
    expect(spec.service.match).toEqual([{ uri: { prefix: '/api' } }]);
    expect(spec.analysis).toMatchObject({ mirror: true, mirrorWeight: 20, sessionAffinity: { cookieName: 'pin', maxAge: 3600 } });
  });
});

describe('metrics and webhooks', () => {
  test('defaults check success rate >= 99 and duration <= 500 ms every interval', () => {
    expect(canarySpec(blueGreen({})).analysis.metrics).toEqual([
      { name: 'request-success-rate', interval: '60s', thresholdRange: { min: 99 } },
      { name: 'request-duration', interval: '60s', thresholdRange: { max: 500 } },
    ]);
  });

  test('a custom prometheus metric is written as a MetricTemplate and referenced', () => {
    const chart = blueGreen({ metrics: [FlaggerMetric.prometheus('error-ratio', { query: 'sum(rate(errors[1m]))', max: 0.01, interval: Duration.minutes(2) })] });
    expect(canarySpec(chart).analysis.metrics).toEqual([{ name: 'error-ratio', interval: '120s', thresholdRange: { max: 0.01 }, templateRef: { name: 'error-ratio', namespace: 'webapp' } }]);
    const [template] = manifestsOf(chart, 'MetricTemplate');
    expect(template.metadata).toMatchObject({ name: 'error-ratio', namespace: 'webapp' });
    expect(template.spec).toEqual({ provider: { type: 'prometheus', address: 'http://prometheus.istio-system:9090' }, query: 'sum(rate(errors[1m]))' });
  });

  test('webhooks of every type, and the load tester shortcut', () => {
    const webhooks = canarySpec(blueGreen({
      webhooks: [
        FlaggerWebhook.of({ name: 'smoke', type: FlaggerWebhookType.PRE_ROLLOUT, url: 'http://tester.test/smoke', timeout: Duration.seconds(15), metadata: { suite: 'smoke' } }),
        FlaggerWebhook.loadTest({ command: 'hey -z 1m http://backend-canary.webapp:9898/' }),
        FlaggerWebhook.of({ name: 'gate', type: FlaggerWebhookType.CONFIRM_PROMOTION, url: 'https://gate.example.com/approve' }),
        FlaggerWebhook.of({ name: 'notify', type: FlaggerWebhookType.POST_ROLLOUT, url: 'http://notify.test/' }),
        FlaggerWebhook.of({ name: 'abort', type: FlaggerWebhookType.ROLLBACK, url: 'http://abort.test/' }),
      ],
    })).analysis.webhooks;
    expect(webhooks.map((w: any) => [w.name, w.type, w.timeout])).toEqual([
      ['smoke', 'pre-rollout', '15s'], ['load-test', 'rollout', '60s'], ['gate', 'confirm-promotion', '60s'], ['notify', 'post-rollout', '60s'], ['abort', 'rollback', '60s'],
    ]);
    expect(webhooks[1]).toMatchObject({ url: 'http://flagger-loadtester.test/', metadata: { type: 'cmd', cmd: 'hey -z 1m http://backend-canary.webapp:9898/' } });
  });
});

describe('Flagger rules as synth-time errors', () => {
  test('fails on an interval below 10 s', () => {
    expect(() => blueGreen({ interval: Duration.seconds(5) })).toThrow('test/backend (flagger): interval 5s is too short: Flagger needs at least 10s between checks');
  });
  test('fails on a threshold below 1', () => {
    expect(() => blueGreen({ threshold: 0 })).toThrow(/invalid threshold 0: must be a whole number from 1 to 1000/);
  });
  test('fails on weights for blue/green and iterations for a weighted canary', () => {
    expect(() => blueGreen({ stepWeight: 10 })).toThrow(/stepWeight, maxWeight and stepWeights do not apply to a BlueGreen release/);
    expect(() => canary({ iterations: 3 })).toThrow(/iterations 3 do not apply to a weighted canary/);
  });
  test('fails on step weights outside 1..maxWeight or not increasing, and maxWeight above 100', () => {
    expect(() => canary({ stepWeight: 60, maxWeight: 50 })).toThrow(/invalid stepWeight 60: must be a whole number from 1 to 50/);
    expect(() => canary({ maxWeight: 120 })).toThrow(/invalid maxWeight 120: must be a whole number from 1 to 100/);
    expect(() => canary({ stepWeights: [10, 5] })).toThrow(/stepWeights \[10, 5\] must increase: 5 follows 10/);
    expect(() => canary({ stepWeights: [0, 5] })).toThrow(/invalid stepWeights\[0\] 0/);
  });
  test('fails on metrics without threshold or query', () => {
    expect(() => blueGreen({ metrics: [FlaggerMetric.prometheus('latency', { query: 'x' })] })).toThrow(/metric 'latency' has no threshold: give min, max or both/);
    expect(() => blueGreen({ metrics: [FlaggerMetric.prometheus('latency', { query: ' ', max: 1 })] })).toThrow(/metric 'latency' has an empty query/);
  });
  test('fails on webhook urls that are not absolute http or https', () => {
    expect(() => blueGreen({ webhooks: [FlaggerWebhook.of({ name: 'w', type: FlaggerWebhookType.ROLLOUT, url: 'flagger-loadtester.test/' })] }))
      .toThrow(/invalid url of webhook 'w' 'flagger-loadtester.test\/': must be an absolute http:\/\/ or https:\/\/ URL/);
    expect(() => blueGreen({ webhooks: [FlaggerWebhook.of({ name: 'w', type: FlaggerWebhookType.ROLLOUT, url: 'ftp://x.test/' })] })).toThrow(/must be an absolute http/);
  });
  test('fails on a webhook timeout below 1 ms', () => {
    expect(() => blueGreen({ webhooks: [FlaggerWebhook.loadTest({ command: 'hey', timeout: Duration.millis(0) })] })).toThrow(/timeout of webhook 'load-test' 0ms is below 1ms/);
  });
  test('fails on declarations Flagger cannot carry out', () => {
    expect(() => blueGreen({}, { activeVersion: undefined })).toThrow(/no activeVersion: Flagger rolls out one workload/);
    expect(() => blueGreen({}, { previewHosts: PreviewHosts.pattern('{version}.example.com') })).toThrow(/preview hosts .* cannot be handed to Flagger/);
    expect(() => blueGreen({}, { versionAffinity: true })).toThrow(/versionAffinity cannot be handed to Flagger/);
    expect(() => canary({}, { forceStable: [RequestMatch.header('x-stable', '1')] })).toThrow(/forceStable cannot be handed to Flagger/);
    expect(() => canary({}, { ports: [...HTTP, { port: 3306, protocol: PortProtocol.TCP }] })).toThrow(/cannot be handed to Flagger: its Istio router routes exactly one http/);
  });
  test('fails on a StatefulSet target', () => {
    const chart = Testing.chart();
    const raw = new ApiObject(chart, 'db', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { template: { metadata: { labels: {} } } } });
    expect(() => new BlueGreen(chart, 'db-release', { serviceName: 'db', ports: HTTP, versions: [{ name: 'v1', workload: VersionWorkload.fromApiObject(raw) }], activeVersion: 'v1', output: ReleaseOutput.flagger() }))
      .toThrow(/Flagger cannot roll out a StatefulSet: use a Deployment or DaemonSet/);
  });
  test('fails when a static route is added to a release Flagger owns', () => {
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'web', { serviceName: 'web', ports: HTTP, versions: [{ name: 'v1' }, { name: 'v2' }], activeVersion: 'v2', output: ReleaseOutput.flagger() });
    expect(() => new CookieRoute(chart, 'qa', { release, version: 'v2', cookieName: 'qa' })).toThrow(/its rollout is handed to Flagger, which owns the routes/);
  });
});
