import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { tempDir } from './gitops-fixtures';
import { GitOpsApp } from '../src';

/**
 * GitOpsApp resolves the objects before it validates (the traffic plans start on them meanwhile),
 * but reports what cdk8s's `App.synth()` reports, which validates first: validation errors win over
 * an object that cannot be resolved or placed, and nothing is written either way.
 */

function appWith(outdir: string, declare: (chart: Chart) => void): GitOpsApp {
  const app = new GitOpsApp({ outdir });
  declare(new Chart(app, 'shop'));
  return app;
}

/** An object whose spec cannot be produced. */
function unresolvable(chart: Chart): void {
  new ApiObject(chart, 'broken', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'broken' },
    data: Lazy.any({ produce: () => { throw new Error('the value is not ready'); } }),
  });
}

/** A construct whose validation fails. */
function invalid(chart: Chart): void {
  chart.node.addValidation({ validate: () => ['the shop needs a name'] });
}

describe('validation errors come first, as cdk8s reports them', () => {
  test('an object that cannot be resolved in an app that does not validate: the validation error', () => {
    // GIVEN
    const outdir = path.join(tempDir('gitops-order-'), 'dist');
    const app = appWith(outdir, (chart) => {
      unresolvable(chart);
      invalid(chart);
    });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n {2}\[shop\] the shop needs a name$/);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('an object that cannot be resolved in a valid app: the resolution error', () => {
    // GIVEN
    const outdir = path.join(tempDir('gitops-order-'), 'dist');
    const app = appWith(outdir, unresolvable);

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/Failed serializing construct at path 'shop\/broken' with name 'broken': Error: the value is not ready/);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  test('two objects for one file in an app that does not validate: the validation error', () => {
    // GIVEN two ConfigMaps of one name, which the duplicate-object validation also reports
    const outdir = path.join(tempDir('gitops-order-'), 'dist');
    const app = appWith(outdir, (chart) => {
      new ApiObject(chart, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
      new ApiObject(chart, 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } });
    });

    // WHEN / THEN the message names both construct paths, not only the file both would be written to
    expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n.*ConfigMap settings \(core group\) is defined twice, by shop\/first and by shop\/second/s);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
