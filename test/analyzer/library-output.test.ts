import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseYaml } from './fixtures';
import {
  analyze, BlueGreen, Canary, CookieRoute, PathRoute, FindingSeverity, GatewayBinding, PortProtocol, PreviewHosts, RequestMatch,
  TrafficAnalyzer, VersionWorkload,
} from '../../src';
import { clusterFiles } from '../../src/fleet/fleet-folders';

const container = (image: string) => VersionWorkload.container({ image });

function errorsOf(chart: Chart): string[] {
  return analyze(Testing.synth(chart)).filter((f) => f.severity !== FindingSeverity.INFO).map((f) => `${f.code} ${f.kind}/${f.name} ${f.path}: ${f.message}`);
}

describe('the library\'s own output', () => {
  test('a blue/green release with preview hosts and version affinity has no findings', () => {
    // GIVEN
    const chart = Testing.chart();
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      namespace: 'shop',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }, { port: 3306, protocol: PortProtocol.TCP }],
      hosts: ['web.example.com'],
      previewHosts: PreviewHosts.pattern('web-{version}.example.com'),
      versionAffinity: true,
      activeVersion: 'blue',
      versions: [{ name: 'blue', workload: container('web:1') }, { name: 'green', workload: container('web:2') }],
    });

    // WHEN / THEN
    expect(errorsOf(chart)).toEqual([]);
  });

  test('a canary with sticky sessions, force routes, mirroring and cookie routes has no findings', () => {
    // GIVEN
    const chart = Testing.chart();
    const canary = new Canary(chart, 'api', {
      serviceName: 'api',
      ports: [{ port: 8080, protocol: PortProtocol.HTTP }],
      hosts: ['api.example.com'],
      stable: { name: 'v1', workload: container('api:1') },
      canary: { name: 'v2', workload: container('api:2') },
      canaryWeight: 20,
      match: [RequestMatch.uriPrefix('/api')],
      forceCanary: [RequestMatch.header('x-canary', 'always')],
      mirrorPercentage: 10,
      stickySessions: {},
    });
    new CookieRoute(chart, 'qa', { release: canary, version: 'v2', cookieName: 'qa' });
    new PathRoute(chart, 'v1-path', { release: canary, version: 'v1', pathPrefix: '/v1', rewritePrefix: '/' });

    // WHEN / THEN
    expect(errorsOf(chart)).toEqual([]);
  });

  test('a release bound to a shared gateway is clean once the gateway is declared known', () => {
    // GIVEN a gateway outside the app
    const chart = Testing.chart();
    new Canary(chart, 'api', {
      serviceName: 'api',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: ['api.example.com'],
      gateway: GatewayBinding.fromReference('istio-system/public'),
      stable: { name: 'v1', workload: container('api:1') },
      canary: { name: 'v2', workload: container('api:2') },
      canaryWeight: 0,
    });

    // WHEN
    const manifests = Testing.synth(chart);

    // THEN only the missing gateway is an error, and knownGateways clears it
    expect(TrafficAnalyzer.errors(manifests).map((f) => [f.code, f.path])).toEqual([['IST0101', 'spec.gateways[0]']]);
    expect(TrafficAnalyzer.errors(manifests, { knownGateways: ['istio-system/public'] })).toEqual([]);
  });

  test('every committed example output has no ERROR findings', () => {
    // GIVEN every examples/*/dist folder (written by the examples task)
    const root = path.join(__dirname, '..', '..', 'examples');
    const outputs = fs.existsSync(root) ? fs.readdirSync(root).map((d) => path.join(root, d, 'dist')).filter((d) => fs.existsSync(d)) : [];
    // a fleet's output is one configuration per cluster
    const units = outputs.flatMap((dir) => clusterFiles([dir]).map((unit) => ({ dir: unit.cluster ?? dir, files: unit.files })));

    // WHEN / THEN
    for (const { dir, files } of units) {
      const manifests = files.flatMap((f) => parseYaml(fs.readFileSync(f, 'utf8')));
      const errors = TrafficAnalyzer.errors(manifests).map((f) => `${dir}: ${f.code} ${f.kind}/${f.name} ${f.path}: ${f.message}`);
      expect(errors).toEqual([]);
    }
  });

  test('analysis stays linear: 2000 releases are analyzed in well under the time of a synth', () => {
    // GIVEN 2000 independent blue/green releases as plain manifests (synthesized once, renamed)
    const app = new App();
    const chart = new Chart(app, 'one');
    new BlueGreen(chart, 'zapp', {
      serviceName: 'zapp',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: ['zapp.example.com'],
      activeVersion: 'blue',
      versions: [{ name: 'blue', workload: container('a') }, { name: 'green', workload: container('b') }],
    });
    const template = JSON.stringify(Testing.synth(chart));
    const manifests = Array.from({ length: 2000 }, (_, i) => JSON.parse(template.replace(/zapp/g, `zapp${i}`))).flat();

    // WHEN
    const start = Date.now();
    const findings = analyze(manifests);
    const elapsed = Date.now() - start;

    // THEN
    expect(findings.filter((f) => f.severity === FindingSeverity.ERROR)).toEqual([]);
    expect(elapsed).toBeLessThan(5000);
  });
});
