import * as path from 'path';
import { Chart } from 'cdk8s';
import { BLUE_GREEN, tempDir } from './gitops-fixtures';
import { BlueGreen, GitOpsApp, PortProtocol } from '../src';
import { renderApp } from '../src/gitops/app-output';
import { baselineObjects, readBaseline } from '../src/gitops/baseline';
import { retirementProblems } from '../src/gitops/retirement';

/** The rendered output of one BlueGreen `web` in namespace `shop`, and the app (not synthesized). */
function render(activeVersion: string, versions = BLUE_GREEN) {
  const app = new GitOpsApp({ outdir: path.join(tempDir(), 'dist') });
  new BlueGreen(new Chart(app, 'shop'), 'web', {
    serviceName: 'web', namespace: 'shop', ports: [{ port: 80, protocol: PortProtocol.HTTP }], hosts: ['web.example.com'], versions, activeVersion,
  });
  return { app, output: renderApp(app, {}) };
}

describe('baseline objects against a new output', () => {
  test('are the objects of a full parse, taking unchanged files from the new output instead of parsing them', () => {
    // GIVEN a baseline written with blue active, and a new output with green active (one VirtualService pair changes)
    const before = render('blue');
    before.app.synth();
    const base = readBaseline(before.app.outdir, 'HEAD', false);
    const after = render('green').output;

    // WHEN the baseline is compared with the new output
    const { objects, unchanged } = baselineObjects(base, after.objects, after.files);

    // THEN it holds exactly the objects a full parse finds, file by file, and it is not unchanged
    const key = (o: { file: string; object: any }) => `${o.file} ${JSON.stringify(o.object)}`;
    expect(objects.map(key).sort()).toEqual(base.objects.map(key).sort());
    expect(unchanged).toBe(false);
    // the unchanged DestinationRule is the new output's own object, not a parsed copy
    const rule = after.objects.find((o) => o.object.kind === 'DestinationRule')!;
    expect(objects.find((o) => o.file === rule.file)!.object).toBe(rule.object);
  });

  test('an identical output is unchanged, so the retirement check has nothing to judge', () => {
    // GIVEN a baseline and a new output with the same bytes
    const before = render('blue');
    before.app.synth();
    const base = readBaseline(before.app.outdir, 'HEAD', false);
    const again = render('blue').output;

    // WHEN / THEN
    expect(baselineObjects(base, again.objects, again.files).unchanged).toBe(true);
    expect(retirementProblems(base, again.objects, again.files)).toEqual([]);
  });

  test('a removed version that the baseline still routes to is still refused', () => {
    // GIVEN a baseline routing to blue, and a new output without blue
    const before = render('blue');
    before.app.synth();
    const base = readBaseline(before.app.outdir, 'HEAD', false);
    const after = render('green', [{ name: 'green' }]).output;

    // WHEN / THEN
    expect(retirementProblems(base, after.objects, after.files)).toEqual([
      expect.stringContaining("version 'blue' of web.shop.svc.cluster.local is removed while the base output still routes traffic to it"),
    ]);
  });
});
