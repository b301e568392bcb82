import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CrdSchemas } from './crd-schema';
import { ApplicationSetGenerator, FleetDelivery } from '../../src';
import { allDeliveries, shopFleet } from '../fleet/fleet-fixtures';
import { gitopsOutput } from '../fleet/output-files';

const schemas = CrdSchemas.load('argocd', 'flux', 'kurator');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function problemsOf(objects: any[]): string[] {
  return objects.flatMap((o) => schemas.validate(o).map((p) => `${o.kind}/${o.metadata?.name}${p.path}: ${p.message}`));
}

function deliveryObjects(files: Map<string, string>): any[] {
  return [...files].filter(([file]) => file.endsWith('.k8s.yaml')).map(([, text]) => parseAllDocuments(text)[0].toJS()).filter((o) => schemas.covers(o));
}

describe('delivery objects validate against the Argo CD v3.5.1, Flux kustomize-controller v1.9.4 and Kurator v0.6.0 CRDs', () => {
  test('the committed fleet and podinfo-flagger examples', () => {
    // GIVEN every delivery object committed under examples/*/dist
    const files = new Map<string, string>();
    for (const example of ['fleet', 'podinfo-flagger']) {
      walk(path.join(EXAMPLES, example, 'dist')).forEach((f) => files.set(f, fs.readFileSync(f, 'utf8')));
    }

    // WHEN
    const objects = deliveryObjects(files);

    // THEN one ApplicationSet, six Flux Kustomizations and two Kurator Applications, all valid
    expect(objects.map((o) => o.kind).sort()).toEqual(['Application', 'Application', 'ApplicationSet', ...Array(6).fill('Kustomization')]);
    expect(problemsOf(objects)).toEqual([]);
    expect([...schemas.unsupportedRules.keys()]).toEqual([]);
  });

  test.each([
    ['ArgoCD Applications, Flux and Kurator', allDeliveries()],
    ['an ApplicationSet with the list generator', [FleetDelivery.argoCdApplicationSet({ repoUrl: 'https://git.example.com/d.git', repoPath: 'd' })]],
    ['an ApplicationSet with the Git directory generator', [FleetDelivery.argoCdApplicationSet({
      repoUrl: 'https://git.example.com/d.git', repoPath: 'd', generator: ApplicationSetGenerator.GIT_DIRECTORIES,
    })]],
  ])('%s', (_, deliveries) => {
    // GIVEN
    const build = (outdir: string) => shopFleet({ activeVersion: 'blue' }, { deliveries, outdir }).fleet;

    // WHEN
    const objects = deliveryObjects(gitopsOutput(build));

    // THEN
    expect(objects.length).toBeGreaterThan(0);
    expect(problemsOf(objects)).toEqual([]);
  });

  test('the validator catches a Flux Kustomization with two kubeconfig sources (CEL rule) and a missing sourceRef', () => {
    // GIVEN
    const kustomization = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'x' },
      spec: { interval: '1m', prune: true, kubeConfig: { secretRef: { name: 'a' }, configMapRef: { name: 'b' } } },
    };

    // WHEN
    const problems = schemas.validate(kustomization).map((p) => p.message);

    // THEN
    expect(problems).toContain('must have required property \'sourceRef\' {"missingProperty":"sourceRef"}');
    expect(problems).toContain('exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified (!has(self.configMapRef) || !has(self.secretRef))');
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full) : [full];
  });
}
