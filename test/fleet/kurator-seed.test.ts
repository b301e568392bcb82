import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  BlueGreen, Canary, FlaggerMetric, FlaggerWebhook, FlaggerWebhookType, KuratorApplication, KuratorSyncPolicy, PortProtocol, ReleaseOutput,
  VersionWorkload,
} from '../../src';
import { CrdSchemas } from '../validation/crd-schema';

/**
 * Seed 002's `blue-green-demo` Application as its user wrote it (the `last-applied-configuration`
 * the article shows; the `kubectl get` output adds only the server defaults `gitImplementation: go-git`
 * and `force: false`, and status).
 */
const SEED_002_APPLICATION = {
  apiVersion: 'apps.kurator.dev/v1alpha1',
  kind: 'Application',
  metadata: { name: 'blue-green-demo', namespace: 'default' },
  spec: {
    source: { gitRepository: { interval: '3m0s', ref: { branch: 'master' }, timeout: '1m0s', url: 'https://github.com/stefanprodan/podinfo' } },
    syncPolicies: [
      {
        destination: { fleet: 'quickstart' },
        kustomization: { interval: '0s', path: './deploy/webapp', prune: true, timeout: '2m0s' },
        rollout: {
          port: 9898,
          rolloutPolicy: {
            rolloutTimeoutSeconds: 600,
            trafficAnalysis: {
              checkFailedTimes: 2,
              checkIntervalSeconds: 90,
              metrics: [
                { intervalSeconds: 90, name: 'request-success-rate', thresholdRange: { min: 99 } },
                { intervalSeconds: 90, name: 'request-duration', thresholdRange: { max: 500 } },
              ],
              webhooks: { command: ['hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/'], timeoutSeconds: 60 },
            },
            trafficRouting: { analysisTimes: 3, gateways: ['istio-system/public-gateway'], hosts: ['backend.webapp'], timeoutSeconds: 60 },
          },
          serviceName: 'backend',
          testLoader: true,
          trafficRoutingProvider: 'istio',
          workload: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend', namespace: 'webapp' },
        },
      },
      {
        destination: { fleet: 'quickstart' },
        kustomization: { interval: '5m0s', path: './kustomize', prune: true, targetNamespace: 'default', timeout: '2m0s' },
      },
    ],
  },
};

const PODINFO = path.join(__dirname, '..', '..', 'examples', 'podinfo-flagger', 'dist');
const read = (file: string) => parse(fs.readFileSync(path.join(PODINFO, file), 'utf8'));

describe('examples/podinfo-flagger writes the Kurator Application of seed 002', () => {
  const application = read('kurator/base/default/Application.blue-green-demo.k8s.yaml');

  test('field for field the object the seed\'s user writes', () => {
    expect(application).toEqual(SEED_002_APPLICATION);
  });

  test('it validates against the Kurator v0.6.0 CRD', () => {
    expect(CrdSchemas.load('kurator').validate(application)).toEqual([]);
  });

  test('the Canary Kurator would create from it (rollout_helper.go) carries the analysis of the example\'s own Canary', () => {
    // GIVEN the example's Flagger Canary and Kurator's mapping of the rollout block
    const canary = read('podinfo-flagger/routes/webapp/Canary.backend.k8s.yaml');
    const rollout = application.spec.syncPolicies[0].rollout;
    const policy = rollout.rolloutPolicy;

    // WHEN Kurator renders its Canary (renderCanary, renderCanaryService, renderCanaryAnalysis)
    const kuratorCanary = {
      targetRef: { apiVersion: rollout.workload.apiVersion, kind: rollout.workload.kind, name: rollout.workload.name },
      progressDeadlineSeconds: policy.rolloutTimeoutSeconds,
      service: { port: rollout.port, gateways: policy.trafficRouting.gateways, hosts: policy.trafficRouting.hosts, timeout: `${policy.trafficRouting.timeoutSeconds}s` },
      analysis: {
        iterations: policy.trafficRouting.analysisTimes,
        threshold: policy.trafficAnalysis.checkFailedTimes,
        interval: `${policy.trafficAnalysis.checkIntervalSeconds}s`,
        metrics: policy.trafficAnalysis.metrics.map((m: any) => ({ name: m.name, interval: `${m.intervalSeconds}s`, thresholdRange: m.thresholdRange })),
        commands: policy.trafficAnalysis.webhooks.command,
        timeout: `${policy.trafficAnalysis.webhooks.timeoutSeconds}s`,
      },
    };

    // THEN the same settings as the Canary the library writes for Flux or ArgoCD
    expect(kuratorCanary).toEqual({
      targetRef: canary.spec.targetRef,
      progressDeadlineSeconds: canary.spec.progressDeadlineSeconds,
      service: {
        port: canary.spec.service.port,
        gateways: canary.spec.service.gateways,
        hosts: canary.spec.service.hosts,
        timeout: canary.spec.service.timeout,
      },
      analysis: {
        iterations: canary.spec.analysis.iterations,
        threshold: canary.spec.analysis.threshold,
        interval: canary.spec.analysis.interval,
        metrics: canary.spec.analysis.metrics,
        commands: canary.spec.analysis.webhooks.map((w: any) => w.metadata.cmd),
        timeout: canary.spec.analysis.webhooks[0].timeout,
      },
    });
  });
});

describe('Flagger settings Kurator cannot carry are errors', () => {
  const workload = VersionWorkload.container({ image: 'web:2' });
  const ports = [{ port: 80, protocol: PortProtocol.HTTP }];
  const rollout = (release: any) => () => KuratorSyncPolicy.rollout(release, { fleet: 'f', path: './web' });
  const application = (chart: Chart, policy: KuratorSyncPolicy) => new KuratorApplication(chart, 'app', { source: { url: 'https://git.example.com/x' }, syncPolicies: [policy] });

  test('a release with static routes', () => {
    const chart = Testing.chart();
    const release = new BlueGreen(chart, 'web', { serviceName: 'web', ports, versions: [{ name: 'blue' }, { name: 'green', workload }], activeVersion: 'green' });
    expect(rollout(release)).toThrow('test/web: a Kurator rollout needs a release handed to Flagger');
  });

  test.each([
    ['mirroring', { mirrorPercentage: 10 }, {}, 'mirroring (mirrorPercentage 10) cannot be handed to Kurator'],
    ['a custom metric', {}, { metrics: [FlaggerMetric.prometheus('errors', { query: 'sum(x)', max: 1 })] }, "the custom metric 'errors' cannot be handed to Kurator"],
    ['a gate webhook', {}, { webhooks: [FlaggerWebhook.of({ name: 'gate', type: FlaggerWebhookType.CONFIRM_ROLLOUT, url: 'http://gate.test/' })] },
      "the confirm-rollout webhook 'gate' (only load-test commands, FlaggerWebhook.loadTest) cannot be handed to Kurator"],
    ['load tests with different timeouts', {}, {
      webhooks: [
        FlaggerWebhook.loadTest({ name: 'a', command: 'hey a', timeout: Duration.seconds(30) }),
        FlaggerWebhook.loadTest({ name: 'b', command: 'hey b' }),
      ],
    }, 'load tests with different timeouts (30s, 60s; Kurator has one timeoutSeconds for all)'],
  ])('%s', (_, props, flagger, message) => {
    // GIVEN
    const chart = Testing.chart();
    const release = new Canary(chart, 'web', { serviceName: 'web', ports, stable: { name: 'v1' }, canary: { name: 'v2', workload }, canaryWeight: 0, ...props, output: ReleaseOutput.flagger(flagger) });

    // THEN
    expect(() => application(chart, KuratorSyncPolicy.rollout(release, { fleet: 'f', path: './web' }))).toThrow(message);
  });

  test('a weighted canary becomes Kurator\'s canaryStrategy', () => {
    // GIVEN
    const chart = Testing.chart();
    const release = new Canary(chart, 'web', {
      serviceName: 'web',
      ports,
      stable: { name: 'v1' },
      canary: { name: 'v2', workload },
      canaryWeight: 0,
      output: ReleaseOutput.flagger({ stepWeights: [5, 20, 50] }),
    });

    // WHEN
    const app = application(chart, KuratorSyncPolicy.rollout(release, { fleet: 'f', path: './web', testLoader: false }));

    // THEN
    const policy = app.apiObject.toJson().spec.syncPolicies[0];
    expect(policy.rollout.rolloutPolicy.trafficRouting).toEqual({ canaryStrategy: { maxWeight: undefined, stepWeights: [5, 20, 50] }, gateways: ['mesh'] });
    expect(policy.kustomization.interval).toBe('0s');
    expect(CrdSchemas.load('kurator').validate(app.apiObject.toJson())).toEqual([]);
  });
});
