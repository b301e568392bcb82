import { App, YamlOutputType } from 'cdk8s';
import { renderApp } from './gitops/app-output';
import { outdirOf } from './gitops/cli-outdir';
import { recordObjectShapes } from './gitops/object-shapes';
import { retirementProblems } from './gitops/retirement';
import { writeOutputSafely } from './gitops/safe-output';
import { requireUniqueObjects } from './validate/unique-objects';

/**
 * Properties of a GitOps app.
 */
export interface GitOpsAppProps {
  /**
   * The folder ArgoCD or Flux syncs, committed to Git. Each synthesis replaces what GitOpsApp
   * wrote there last time, so removed resources disappear from Git (and are pruned) instead of
   * lingering; it never touches anything else (see the README's safety guarantees).
   *
   * Under `cdk8s synth`, leave this out and set `output` in `cdk8s.yaml`: the app then writes to
   * the folder the CLI asks for (`CDK8S_OUTDIR`). Given both, they must name the same folder, or
   * the constructor throws rather than pick one.
   *
   * @default - `CDK8S_OUTDIR` when the cdk8s CLI runs the app, else 'dist'
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
   * Refuses an output that is unsafe to apply after the last committed one (make-before-break):
   * a version, subset, Service or workload removed while that output still routes traffic to it,
   * or a route to a subset created in the same change without sync waves or the Flux layout to
   * order them. The same check as `cdk8s-istio-traffic diff`; the error names the baseline.
   *
   * @default true
   */
  readonly checkRetirement?: boolean;

  /**
   * The Git ref whose committed `outdir` is the baseline of `checkRetirement`: what your GitOps
   * tool is syncing, e.g. `origin/main` in a pull request build. When the folder is not in a Git
   * work tree, not committed at this ref, or `HEAD` has no commit yet, the folder on disk is the
   * baseline instead. A ref given here must exist.
   *
   * @default 'HEAD'
   */
  readonly baselineRef?: string;
}

/**
 * A cdk8s App that writes output the way ArgoCD and Flux want it: one folder per chart and one
 * file per resource (`<chart>/<namespace>/<Kind>.<name>.k8s.yaml`, small reviewable diffs), no
 * `.json` files (ArgoCD would apply them), stale files removed, and optionally sync waves, Flux
 * kustomizations and a traffic plan per chart.
 *
 * The output folder is replaced all or nothing, only ever holds what GitOpsApp wrote (listed in its
 * `.gitops-app-files`), and an error leaves it as it was.
 *
 * Validation and dependency resolution run once for the whole app, whatever the number of charts.
 */
export class GitOpsApp extends App {
  private readonly options: GitOpsAppProps;

  constructor(props: GitOpsAppProps = {}) {
    super({
      outdir: outdirOf('GitOpsApp', props.outdir),
      yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
      recordConstructMetadata: false,
    });
    this.options = props;
    // before the app's charts are declared: they may use up what keeps resolved objects fast
    recordObjectShapes();
    requireUniqueObjects(this);
  }

  /**
   * Synthesizes every chart and replaces the previous output in `outdir` with it, after checking
   * that the folder is GitOpsApp's to replace and that the change is safe to apply.
   */
  public synth(): void {
    writeOutputSafely(this.outdir, this.options, (baseline, early) => {
      const output = renderApp(this, this.options, undefined, early);
      return { files: output.files, problems: baseline ? retirementProblems(baseline, output.objects, output.files) : [] };
    });
  }
}
