import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing, YamlOutputType } from 'cdk8s';
import { tempDir } from './gitops-fixtures';
import { BlueGreen, BlueGreenProps, FlaggerMetric, GatewayBinding, GitOpsApp, PortProtocol, PreviewHosts, ReleaseOutput, VersionWorkload } from '../src';
import { readTree } from '../src/gitops/manifest-files';

const PORTS = [{ port: 80, protocol: PortProtocol.HTTP }];
const nginx = () => VersionWorkload.container({ image: 'nginx:1.27' });

function release(chart: Chart, id: string, props: Partial<BlueGreenProps>): BlueGreen {
  return new BlueGreen(chart, id, {
    serviceName: id, namespace: 'shop', ports: PORTS, versions: [{ name: 'blue' }], activeVersion: 'blue', ...props,
  });
}

describe('two objects with one identity are a synth-time error naming both construct paths', () => {
  test('two releases that create a Gateway with the same name', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'web', { hosts: ['web.example.com'], gateway: GatewayBinding.create({ name: 'public' }) });
    release(chart, 'api', { hosts: ['api.example.com'], gateway: GatewayBinding.create({ name: 'public' }) });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/Gateway shop\/public \(networking.istio.io group\) is defined twice, by shop\/web\/[^ ]+ and by shop\/api\/[^ ]+: the cluster keeps one object per group, kind, namespace and name/);
  });

  test("service 'a-b' with version 'c' and service 'a' with version 'b-c' (Deployment a-b-c)", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'first', { serviceName: 'a-b', versions: [{ name: 'c', workload: nginx() }], activeVersion: 'c' });
    release(chart, 'second', { serviceName: 'a', versions: [{ name: 'b-c', workload: nginx() }], activeVersion: 'b-c' });
    expect(() => app.synth()).toThrow(/Deployment shop\/a-b-c \(apps group\) is defined twice, by shop\/first\/\S+ and by shop\/second\/\S+/);
  });

  test("service 'a-preview' and a version 'ingress' of service 'a' with a preview host (VirtualService a-preview-ingress)", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    release(chart, 'first', { serviceName: 'a-preview', hosts: ['a-preview.example.com'] });
    release(chart, 'second', {
      serviceName: 'a', hosts: ['a.example.com'], versions: [{ name: 'blue' }, { name: 'ingress' }], previewHosts: PreviewHosts.map({ ingress: 'ingress.a.example.org' }),
    });
    expect(() => app.synth()).toThrow(/VirtualService shop\/a-preview-ingress \(networking.istio.io group\) is defined twice, by shop\/first\/\S+ and by shop\/second\/\S+/);
  });

  test('Flagger MetricTemplates of two services with one metric name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    const flagger = () => ({
      interval: Duration.seconds(60),
      threshold: 2,
      iterations: 3,
      metrics: [FlaggerMetric.prometheus('error-ratio', { query: 'sum(rate(errors[1m]))', max: 0.01 })],
    });
    for (const id of ['web', 'api']) {
      release(chart, id, { versions: [{ name: 'blue', workload: nginx() }], output: ReleaseOutput.flagger(flagger()) });
    }
    expect(() => app.synth()).toThrow(/MetricTemplate shop\/error-ratio \(flagger.app group\) is defined twice, by shop\/web\/\S+ and by shop\/api\/\S+/);
  });

  test('across charts, and across API versions of one group', () => {
    // GIVEN a release and a hand-written v1beta1 DestinationRule of the same name, in another chart
    const app = Testing.app();
    release(new Chart(app, 'releases'), 'web', {});
    new ApiObject(new Chart(app, 'handwritten'), 'rule', { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'shop' } });

    // THEN
    expect(() => app.synth()).toThrow(/DestinationRule shop\/web \(networking.istio.io group\) is defined twice, by releases\/web\/\S+ and by handwritten\/rule/);
  });

  test('for plain App users too, whatever the output type', () => {
    const app = new App({ outdir: tempDir(), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    release(new Chart(app, 'one'), 'first', { serviceName: 'a-b', versions: [{ name: 'c', workload: nginx() }], activeVersion: 'c' });
    release(new Chart(app, 'two'), 'second', { serviceName: 'a', versions: [{ name: 'b-c', workload: nginx() }], activeVersion: 'b-c' });
    expect(() => app.synth()).toThrow(/Deployment shop\/a-b-c \(apps group\) is defined twice, by one\/first\/\S+ and by two\/second\/\S+/);
  });

  test('a GitOpsApp of hand-written objects only', () => {
    const app = new GitOpsApp({ outdir: path.join(tempDir(), 'dist') });
    const chart = new Chart(app, 'config');
    for (const id of ['first', 'second']) {
      new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } });
    }
    expect(() => app.synth()).toThrow(/ConfigMap shop\/settings \(core group\) is defined twice, by config\/first and by config\/second/);
  });
});

describe('objects that only look alike are fine', () => {
  test('one name in two namespaces, or in two API groups, each get their own file', () => {
    // GIVEN an Istio Gateway and a Gateway API Gateway named web in shop, and a Service web in two namespaces
    const outdir = path.join(tempDir(), 'dist');
    const app = new GitOpsApp({ outdir });
    const chart = new Chart(app, 'edge');
    new ApiObject(chart, 'istio', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop' } });
    new ApiObject(chart, 'k8s', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop' } });
    new ApiObject(chart, 'svc-a', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' } });
    new ApiObject(chart, 'svc-b', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'b' } });

    // WHEN
    app.synth();

    // THEN
    expect([...readTree(outdir).keys()].filter((f) => f.endsWith('.k8s.yaml')).sort()).toEqual([
      'edge/a/Service.web.k8s.yaml',
      'edge/b/Service.web.k8s.yaml',
      'edge/shop/Gateway.web_gateway.networking.k8s.io.k8s.yaml',
      'edge/shop/Gateway.web_networking.istio.io.k8s.yaml',
    ]);
  });
});
