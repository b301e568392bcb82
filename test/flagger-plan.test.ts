import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { Canary, FlaggerMetric, GatewayBinding, PortProtocol, RequestMatch, TrafficPlan, VersionWorkload, ReleaseOutput } from '../src';

describe('the traffic plan of a release handed to Flagger', () => {
  test('says that Flagger owns the routes, and which hosts, gateways, analysis and steps it will use', () => {
    // GIVEN a progressive canary on a shared gateway
    const chart = Testing.chart();
    new Canary(chart, 'api', {
      serviceName: 'api',
      namespace: 'shop',
      ports: [{ port: 8080, protocol: PortProtocol.HTTP }],
      hosts: ['api.example.com'],
      gateway: GatewayBinding.fromReference('istio-system/public'),
      stable: { name: 'v1' },
      canary: { name: 'v2', workload: VersionWorkload.container({ image: 'api:2' }) },
      canaryWeight: 0,
      match: [RequestMatch.uriPrefix('/api')],
      output: ReleaseOutput.flagger({
        interval: Duration.seconds(30),
        threshold: 3,
        stepWeights: [5, 25, 50],
        metrics: [FlaggerMetric.requestSuccessRate(99.5)],
        rolloutTimeout: Duration.minutes(5),
      }),
    });

    // WHEN
    const plan = TrafficPlan.fromManifests(Testing.synth(chart));

    // THEN
    expect(plan.routeTables).toEqual([]);
    expect(plan.flaggerRollouts).toEqual([{
      canary: 'shop/api',
      target: 'Deployment/api',
      mode: 'canary',
      hosts: ['api.example.com', 'api'],
      gateways: ['istio-system/public', 'mesh'],
      port: 8080,
      analysis: [
        'a check every 30s; rollback after 3 failed checks',
        'metric request-success-rate at least 99.5',
        'rollback when the new version makes no progress for 300s',
      ],
      steps: [
        'the new version gets 5%, 25%, 50% of requests matching path /api…, one step per passed check',
        'promote: Flagger copies the new version into api-primary, which then takes requests matching path /api…',
      ],
    }]);
    expect(plan.toDocument()).toContain('## shop/api (handed to Flagger)\n\nFlagger owns the routes of this service');
  });

  test('the podinfo example writes it into TRAFFIC.md', () => {
    const file = path.join(__dirname, '..', 'examples', 'podinfo-flagger', 'dist', 'podinfo-flagger', 'TRAFFIC.md');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('| Hosts | backend.webapp, backend |');
    expect(text).toContain('1. 3 checks while backend-primary keeps all requests; tests reach the new version at backend-canary');
  });
});
