import { Chart } from 'cdk8s';
import { BlueGreen, FleetApp, FleetAppProps, FleetClusterProps, FleetDelivery, FleetRelease, FleetReleaseProps, PortProtocol, VersionWorkload } from '../../src';

/** Three clusters in two stages: `canary` (canary-1), then `main` (eu-1, us-1). */
export const CLUSTERS: FleetClusterProps[] = [
  { name: 'canary-1', labels: { tier: 'canary' }, kuratorFleet: 'shop' },
  { name: 'eu-1', labels: { tier: 'main', region: 'eu' }, kuratorFleet: 'shop' },
  { name: 'us-1', labels: { tier: 'main', region: 'us' }, kuratorFleet: 'shop' },
];
export const STAGES = [{ name: 'canary', clusters: ['canary-1'] }, { name: 'main', clusters: ['eu-1', 'us-1'] }];
export const REPO = 'https://git.example.com/deploy.git';

/** Every delivery engine, reading the output from `deploy/shop` of REPO. */
export function allDeliveries(): FleetDelivery[] {
  return [
    FleetDelivery.argoCdApplications({ repoUrl: REPO, repoPath: 'deploy/shop' }),
    FleetDelivery.flux({ gitRepository: 'deploy', repoPath: 'deploy/shop' }),
    FleetDelivery.kurator({ source: { url: REPO }, repoPath: 'deploy/shop' }),
  ];
}

/** A fleet `shop` with one BlueGreen `web` (blue/green) per cluster, built from the release's values. */
export function shopFleet(release: FleetReleaseProps, props: Partial<FleetAppProps> = {}): { fleet: FleetApp; web: FleetRelease } {
  const fleet = new FleetApp({ name: 'shop', clusters: CLUSTERS, stages: STAGES, ...props });
  const web = new FleetRelease(fleet, 'web', release);
  for (const cluster of fleet.clusters) {
    const values = web.valuesFor(cluster);
    const chart = new Chart(cluster.app, 'web');
    new BlueGreen(chart, 'web', {
      serviceName: 'web',
      namespace: 'shop',
      ports: [{ port: 80, protocol: PortProtocol.HTTP }],
      hosts: values.hosts ?? ['web.example.com'],
      versions: [
        { name: 'blue', workload: VersionWorkload.container({ image: 'web:1', replicas: values.replicas }) },
        { name: 'green', workload: VersionWorkload.container({ image: 'web:2', replicas: values.replicas }) },
      ],
      activeVersion: values.activeVersion,
    });
  }
  return { fleet, web };
}
