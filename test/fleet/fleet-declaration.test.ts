import { CLUSTERS, shopFleet, STAGES } from './fleet-fixtures';
import { FleetApp, FleetRelease, StagedRollout } from '../../src';

const blueToGreen = (reached?: string) => StagedRollout.activeVersion({ from: 'blue', to: 'green', reached });

describe('per-cluster release values', () => {
  test('"green on the canary cluster, blue elsewhere" is one declaration', () => {
    // GIVEN / WHEN
    const { fleet, web } = shopFleet({ rollout: blueToGreen('canary') });

    // THEN
    expect(fleet.clusters.map((c) => [c.name, c.stage, web.valuesFor(c).activeVersion]))
      .toEqual([['canary-1', 'canary', 'green'], ['eu-1', 'main', 'blue'], ['us-1', 'main', 'blue']]);
  });

  test('overrides change hosts and replicas of one cluster only', () => {
    // GIVEN / WHEN
    const { fleet, web } = shopFleet({ activeVersion: 'blue', replicas: 2, overrides: [{ cluster: 'us-1', hosts: ['us.example.com'], replicas: 5 }] });

    // THEN
    expect(fleet.clusters.map((c) => web.valuesFor(c))).toEqual([
      { activeVersion: 'blue', replicas: 2 },
      { activeVersion: 'blue', replicas: 2 },
      { activeVersion: 'blue', replicas: 5, hosts: ['us.example.com'] },
    ].map((v) => ({ canaryWeight: undefined, hosts: undefined, ...v })));
  });

  test('promoted() moves a rollout one stage forward, from none to the first stage to the next', () => {
    // GIVEN
    const start = blueToGreen();

    // WHEN
    const versions = [start, start.promoted(), start.promoted().promoted()].map((rollout, i) => {
      const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES });
      const web = new FleetRelease(fleet, `web${i}`, { rollout });
      return fleet.clusters.map((c) => web.valuesFor(c).activeVersion);
    });

    // THEN
    expect(versions).toEqual([['blue', 'blue', 'blue'], ['green', 'blue', 'blue'], ['green', 'green', 'green']]);
  });

  test('a staged canary weight moves the same way', () => {
    // GIVEN / WHEN
    const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES });
    const web = new FleetRelease(fleet, 'web', { rollout: StagedRollout.canaryWeight({ from: 0, to: 20, reached: 'canary' }) });

    // THEN
    expect(fleet.clusters.map((c) => web.valuesFor(c).canaryWeight)).toEqual([20, 0, 0]);
  });

  test('without stages every cluster is in the one stage `all`', () => {
    // WHEN
    const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS });

    // THEN
    expect(fleet.stageNames).toEqual(['all']);
    expect(fleet.clusters.map((c) => c.stageIndex)).toEqual([0, 0, 0]);
  });
});

describe('bad cluster declarations are synth errors', () => {
  const fleet = (props: any) => () => new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES, ...props });

  test.each([
    ['duplicate cluster names', { clusters: [...CLUSTERS, { name: 'eu-1' }] }, "FleetApp: duplicate cluster name 'eu-1'"],
    ['a cluster name that is no DNS label', { clusters: [{ name: 'EU_1' }] }, "invalid cluster name 'EU_1'"],
    ['no clusters', { clusters: [] }, 'FleetApp: clusters is empty'],
    ['a stage naming an unknown cluster', { stages: [{ name: 'canary', clusters: ['canary-1'] }, { name: 'main', clusters: ['eu-1', 'us-1', 'ap-1'] }] },
      "FleetApp: stage 'main' names unknown cluster 'ap-1': the clusters are 'canary-1', 'eu-1', 'us-1'"],
    ['a cluster in two stages', { stages: [{ name: 'canary', clusters: ['canary-1', 'eu-1'] }, { name: 'main', clusters: ['eu-1', 'us-1'] }] },
      "FleetApp: cluster 'eu-1' is in stages 'canary' and 'main'"],
    ['a cluster in no stage', { stages: [{ name: 'canary', clusters: ['canary-1'] }, { name: 'main', clusters: ['eu-1'] }] },
      "FleetApp: cluster 'us-1' is in no stage: a staged rollout would never reach it"],
    ['duplicate stage names', { stages: [{ name: 'main', clusters: ['canary-1'] }, { name: 'main', clusters: ['eu-1', 'us-1'] }] }, "FleetApp: duplicate stage 'main'"],
    ['an empty stage', { stages: [{ name: 'canary', clusters: [] }, { name: 'main', clusters: ['canary-1', 'eu-1', 'us-1'] }] }, "FleetApp: stage 'canary' has no clusters"],
    ['an ArgoCD name and server', { clusters: [{ name: 'eu-1', argoCdName: 'eu', argoCdServer: 'https://eu:6443' }], stages: undefined },
      "cluster 'eu-1' sets both argoCdName 'eu' and argoCdServer 'https://eu:6443'"],
  ])('%s', (_, props, message) => {
    expect(fleet(props)).toThrow(message);
  });

  test('an override for an unknown cluster names the declared ones', () => {
    expect(() => shopFleet({ activeVersion: 'blue', overrides: [{ cluster: 'ap-1', replicas: 3 }] }))
      .toThrow("web: override for unknown cluster 'ap-1': the fleet's clusters are 'canary-1', 'eu-1', 'us-1'");
  });

  test('two overrides of one cluster', () => {
    expect(() => shopFleet({ overrides: [{ cluster: 'eu-1', replicas: 3 }, { cluster: 'eu-1', hosts: ['x.example.com'] }] }))
      .toThrow("two overrides for cluster 'eu-1'");
  });

  test('a rollout that reached an unknown stage', () => {
    expect(() => shopFleet({ rollout: blueToGreen('production') })).toThrow("rollout reached unknown stage 'production': the fleet's stages are 'canary', 'main'");
  });

  test('a rollout promoted past the last stage', () => {
    expect(() => shopFleet({ rollout: blueToGreen('main').promoted() })).toThrow("rollout cannot be promoted past the last stage 'main'");
  });

  test('a later stage running the new version ahead of an earlier one (the rollout skips the canary stage)', () => {
    // GIVEN a rollout that reached no stage, and both main clusters moved by overrides
    const overrides = [{ cluster: 'eu-1', activeVersion: 'green' }, { cluster: 'us-1', activeVersion: 'green' }];

    // THEN
    expect(() => shopFleet({ rollout: blueToGreen(), overrides }))
      .toThrow("web: stage 'main' would run activeVersion 'green' ahead of the earlier stage 'canary' (still 'blue'), skipping it; stages are promoted in order (canary → main)");
  });

  test('an earlier stage rolled back while a later one keeps the new version', () => {
    expect(() => shopFleet({ rollout: blueToGreen('main'), overrides: [{ cluster: 'canary-1', activeVersion: 'blue' }] }))
      .toThrow("stage 'main' would run activeVersion 'green' ahead of the earlier stage 'canary'");
  });

  test('a stage split by an override', () => {
    expect(() => shopFleet({ rollout: blueToGreen('canary'), overrides: [{ cluster: 'us-1', activeVersion: 'green' }] }))
      .toThrow("web: stage 'main' is split: us-1 runs activeVersion 'green' and eu-1 still 'blue'; a stage moves as a whole");
  });

  test('an override with a third value of the staged setting', () => {
    expect(() => shopFleet({ rollout: blueToGreen('canary'), overrides: [{ cluster: 'eu-1', activeVersion: 'red' }] }))
      .toThrow("cluster 'eu-1' sets activeVersion 'red', but the staged rollout moves it from 'blue' to 'green'");
  });

  test('the staged setting also set for every cluster', () => {
    expect(() => shopFleet({ activeVersion: 'blue', rollout: blueToGreen('canary') }))
      .toThrow('web: activeVersion is set both for every cluster and by the staged rollout');
  });

  test('asking for the values of a cluster of another fleet', () => {
    // GIVEN
    const { web } = shopFleet({ activeVersion: 'blue' });
    const other = new FleetApp({ name: 'other', clusters: [{ name: 'ap-1' }] });

    // THEN
    expect(() => web.valuesFor(other.cluster('ap-1'))).toThrow("web: 'ap-1' is not a cluster of this release's fleet");
    expect(() => other.cluster('eu-1')).toThrow("FleetApp: unknown cluster 'eu-1': the clusters are 'ap-1'");
  });
});
