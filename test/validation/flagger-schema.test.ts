import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CrdSchemas } from './crd-schema';
import { BlueGreen, Canary, FlaggerMetric, FlaggerWebhook, FlaggerWebhookType, PortProtocol, RequestMatch, VersionWorkload, ReleaseOutput } from '../../src';

const schemas = CrdSchemas.load('flagger');
const FLAGGER = /^flagger\.app\//;

function problemsOf(manifests: any[]): string[] {
  const flagger = manifests.filter((m) => FLAGGER.test(String(m?.apiVersion)));
  expect(flagger.length).toBeGreaterThan(0);
  return flagger.flatMap((m) => schemas.validate(m).map((p) => `${m.kind}/${m.metadata?.name}${p.path}: ${p.message}`));
}

const HTTP = [{ port: 9898, protocol: PortProtocol.HTTP }];
const workload = VersionWorkload.container({ image: 'ghcr.io/stefanprodan/podinfo:6.5.4' });

describe('every Flagger object the library can emit validates against the Flagger 1.44 CRDs', () => {
  test('the podinfo-flagger example', () => {
    const manifests = parseAllDocuments(
      fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'podinfo-flagger', 'dist', 'podinfo-flagger', 'routes', 'webapp', 'Canary.backend.k8s.yaml'), 'utf8'),
    ).map((d) => d.toJS());
    expect(problemsOf(manifests)).toEqual([]);
  });

  test('blue/green with custom metrics and every webhook type', () => {
    const chart = Testing.chart();
    new BlueGreen(chart, 'r', {
      serviceName: 'backend',
      namespace: 'webapp',
      ports: HTTP,
      hosts: ['backend.example.com'],
      versions: [{ name: 'v1' }, { name: 'v2', workload }],
      activeVersion: 'v2',
      output: ReleaseOutput.flagger({
        interval: Duration.seconds(30),
        threshold: 3,
        iterations: 5,
        metrics: [FlaggerMetric.requestSuccessRate(99.5, Duration.minutes(1)), FlaggerMetric.prometheus('errors', { query: 'sum(x)', min: 0, max: 1 })],
        webhooks: Object.values(FlaggerWebhookType).map((type) => FlaggerWebhook.of({ name: `hook-${type}`, type, url: 'http://hooks.test/', metadata: { a: 'b' } })),
      }),
    });
    expect(problemsOf(Testing.synth(chart))).toEqual([]);
  });

  test('progressive canary with mirroring and session affinity, and A/B testing', () => {
    const chart = Testing.chart();
    new Canary(chart, 'weighted', {
      serviceName: 'api',
      namespace: 'webapp',
      ports: HTTP,
      stable: { name: 'v1' },
      canary: { name: 'v2', workload },
      canaryWeight: 0,
      match: [RequestMatch.uriPrefix('/api')],
      mirrorPercentage: 10,
      stickySessions: { cookieName: 'pin' },
      output: ReleaseOutput.flagger({ stepWeights: [5, 20, 50] }),
    });
    new Canary(chart, 'ab', {
      serviceName: 'web',
      namespace: 'webapp',
      ports: HTTP,
      stable: { name: 'v1' },
      canary: { name: 'v2', workload },
      canaryWeight: 0,
      forceCanary: [RequestMatch.cookie('beta', 'yes'), RequestMatch.headerRegex('user-agent', '.*Firefox.*')],
      output: ReleaseOutput.flagger({ iterations: 10 }),
    });
    expect(problemsOf(Testing.synth(chart))).toEqual([]);
  });
});
