import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { BlueGreen, GitOpsApp, GitOpsAppProps, PortProtocol, ServiceVersion } from '../src';
import { readTree } from '../src/gitops/manifest-files';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-app-'));

function synth(outdir: string, versions: ServiceVersion[], activeVersion: string, props: GitOpsAppProps = {}): Map<string, string> {
  const app = new GitOpsApp({ outdir, ...props });
  const chart = new Chart(app, 'shop');
  new BlueGreen(chart, 'web', { serviceName: 'web', namespace: 'shop', ports: [{ port: 80, protocol: PortProtocol.HTTP }], hosts: ['web.example.com'], versions, activeVersion });
  app.synth();
  return readTree(outdir);
}

const BLUE_GREEN = [{ name: 'blue' }, { name: 'green' }];

describe('output layout', () => {
  test('one folder per chart, one file per resource, no json, stale files removed', () => {
    // GIVEN
    const outdir = tempDir();
    fs.mkdirSync(path.join(outdir, 'old'));
    fs.writeFileSync(path.join(outdir, 'old', 'Deployment.gone.k8s.yaml'), 'kind: Deployment\n');

    // WHEN
    const files = synth(outdir, BLUE_GREEN, 'blue');

    // THEN
    expect([...files.keys()].sort()).toEqual([
      'shop/DestinationRule.web.k8s.yaml', 'shop/Gateway.web-gateway.k8s.yaml', 'shop/Service.web.k8s.yaml', 'shop/TRAFFIC.md',
      'shop/VirtualService.web-ingress.k8s.yaml', 'shop/VirtualService.web-mesh.k8s.yaml',
    ]);
  });

  test('the same code gives the same bytes', () => {
    const first = synth(tempDir(), BLUE_GREEN, 'blue', { argoCdSyncWaves: true, fluxKustomizations: true });
    const second = synth(tempDir(), BLUE_GREEN, 'blue', { argoCdSyncWaves: true, fluxKustomizations: true });
    expect(second).toEqual(first);
  });

  test('the traffic plan says who goes where', () => {
    const plan = synth(tempDir(), BLUE_GREEN, 'green').get('shop/TRAFFIC.md')!;
    expect(plan).toContain('web.example.com');
    expect(plan).toMatch(/green[^\n]*100/);
    expect(plan).toContain('```mermaid');
  });
});

describe('make-before-break ordering', () => {
  test('argo cd sync waves put workloads and subsets before routes', () => {
    const files = synth(tempDir(), [{ name: 'blue', workload: undefined }, { name: 'green' }], 'blue', { argoCdSyncWaves: true });
    const wave = (file: string) => parse(files.get(file)!).metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(wave('shop/Service.web.k8s.yaml')).toBe('-2');
    expect(wave('shop/DestinationRule.web.k8s.yaml')).toBe('-1');
    expect(wave('shop/Gateway.web-gateway.k8s.yaml')).toBe('-1');
    expect(wave('shop/VirtualService.web-ingress.k8s.yaml')).toBe('0');
  });

  test('no waves unless asked for', () => {
    const files = synth(tempDir(), BLUE_GREEN, 'blue');
    expect(files.get('shop/Service.web.k8s.yaml')).not.toContain('sync-wave');
  });

  test('flux layout: routes in their own kustomization, listed exactly', () => {
    const files = synth(tempDir(), BLUE_GREEN, 'blue', { fluxKustomizations: true });
    expect(parse(files.get('shop/base/kustomization.yaml')!).resources).toEqual(['DestinationRule.web.k8s.yaml', 'Gateway.web-gateway.k8s.yaml', 'Service.web.k8s.yaml']);
    expect(parse(files.get('shop/routes/kustomization.yaml')!).resources).toEqual(['VirtualService.web-ingress.k8s.yaml', 'VirtualService.web-mesh.k8s.yaml']);
    for (const name of parse(files.get('shop/routes/kustomization.yaml')!).resources) {
      expect(files.has(`shop/routes/${name}`)).toBe(true);
    }
  });
});

describe('retiring a version in two steps', () => {
  test('fails to remove a version that still gets traffic, and keeps the previous output', () => {
    // GIVEN blue serves everyone
    const outdir = tempDir();
    const before = synth(outdir, BLUE_GREEN, 'blue');

    // WHEN blue is removed in the same change that moves traffic to green
    // THEN
    expect(() => synth(outdir, [{ name: 'green' }], 'green'))
      .toThrow("version 'blue' of web.shop.svc.cluster.local is removed while the current output still routes traffic to it (VirtualService shop/web-ingress): retire it first (retired: true), let that change sync, then remove it");
    expect(readTree(outdir)).toEqual(before);
  });

  test('retire first, then remove', () => {
    const outdir = tempDir();
    synth(outdir, BLUE_GREEN, 'blue');
    synth(outdir, [{ name: 'blue', retired: true }, { name: 'green' }], 'green');
    const after = synth(outdir, [{ name: 'green' }], 'green');
    expect(parse(after.get('shop/DestinationRule.web.k8s.yaml')!).spec.subsets.map((s: any) => s.name)).toEqual(['green']);
  });

  test('removing a version that got no traffic is fine in one change', () => {
    const outdir = tempDir();
    synth(outdir, [{ name: 'blue' }, { name: 'green' }, { name: 'canary' }], 'blue');
    expect(() => synth(outdir, BLUE_GREEN, 'blue')).not.toThrow();
  });
});
