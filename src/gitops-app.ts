import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { splitForFlux } from './gitops/flux-layout';
import { manifestsOf, readTree, writeTree } from './gitops/manifest-files';
import { findUnsafeRemovals } from './gitops/retirement-check';
import { addSyncWaves } from './gitops/sync-waves';
import { TrafficPlan } from './plan';

/**
 * Properties of a GitOps app.
 */
export interface GitOpsAppProps {
  /**
   * The folder ArgoCD or Flux syncs, committed to Git. It is replaced on every synthesis, so
   * removed resources disappear from Git (and are pruned) instead of lingering.
   *
   * @default 'dist'
   */
  readonly outdir?: string;

  /**
   * Adds ArgoCD sync waves so workloads and Services (wave -2), then DestinationRules, Gateways and
   * MetricTemplates (wave -1) are applied and healthy before VirtualServices and Flagger Canaries
   * (wave 0) route to them.
   *
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;

  /**
   * Splits each chart folder into `base/` and `routes/`, each with a `kustomization.yaml`, for two
   * Flux Kustomizations where `routes` depends on `base` (see the README's Flux section).
   *
   * @default false
   */
  readonly fluxKustomizations?: boolean;

  /**
   * Writes `TRAFFIC.md` into each chart folder: who goes where, as a table and a Mermaid diagram,
   * so a pull request that moves traffic shows it in words and a picture.
   *
   * @default true
   */
  readonly trafficPlan?: boolean;

  /**
   * Refuses to remove a version that the current output still routes traffic to (compared with
   * what is in `outdir` before synthesis); retire it first.
   *
   * @default true
   */
  readonly checkRetirement?: boolean;
}

/**
 * A cdk8s App that writes output the way ArgoCD and Flux want it: one folder per chart and one
 * file per resource (small, reviewable diffs), no `.json` files (ArgoCD would apply them), stale
 * files removed, and optionally sync waves, Flux kustomizations and a traffic plan per chart.
 */
export class GitOpsApp extends App {
  private readonly options: GitOpsAppProps;

  constructor(props: GitOpsAppProps = {}) {
    super({
      outdir: props.outdir ?? 'dist',
      yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
      recordConstructMetadata: false,
    });
    this.options = props;
  }

  /**
   * Synthesizes every chart into `outdir`, replacing what was there.
   */
  public synth(): void {
    const previous = readTree(this.outdir);
    if (this.options.argoCdSyncWaves) {
      addSyncWaves(this);
    }
    fs.rmSync(this.outdir, { recursive: true, force: true });
    try {
      super.synth();
      let files = readTree(this.outdir);
      const removals = this.options.checkRetirement ?? true ? findUnsafeRemovals(manifestsOf(previous), manifestsOf(files)) : [];
      if (removals.length > 0) {
        throw new Error(`unsafe removal in ${this.outdir}:\n  ${removals.join('\n  ')}`);
      }
      if (this.options.fluxKustomizations) {
        files = splitForFlux(files);
      }
      if (this.options.trafficPlan ?? true) {
        files = withTrafficPlans(files);
      }
      fs.rmSync(this.outdir, { recursive: true, force: true });
      writeTree(this.outdir, files);
    } catch (err) {
      fs.rmSync(this.outdir, { recursive: true, force: true });
      writeTree(this.outdir, previous);
      throw err;
    }
  }
}

/** Adds a TRAFFIC.md to every chart folder that routes traffic. */
function withTrafficPlans(files: Map<string, string>): Map<string, string> {
  const byChart = new Map<string, Map<string, string>>();
  for (const [relative, content] of files) {
    const chart = relative.split(path.sep)[0];
    byChart.set(chart, (byChart.get(chart) ?? new Map()).set(relative, content));
  }
  const result = new Map(files);
  for (const [chart, chartFiles] of byChart) {
    const plan = TrafficPlan.fromManifests(manifestsOf(chartFiles));
    if (plan.routeTables.length > 0 || plan.flaggerRollouts.length > 0) {
      result.set(path.join(chart, TrafficPlan.FILE_NAME), plan.toDocument());
    }
  }
  return result;
}
