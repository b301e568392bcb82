import * as fs from 'fs';
import * as path from 'path';
import { buildCallerRows, CallerRow, renderCallers } from './allowed-callers';
import { PlanFlaggerRollout } from './flagger-rollout';
import { flaggerRollouts, renderFlaggerRollouts } from './flagger-rollouts';
import { renderMarkdown } from './render-markdown';
import { renderMermaid } from './render-mermaid';
import { buildRouteTables } from './route-tables';
import { PlanRouteTable } from './types';
import { readManifestFiles } from '../manifests/manifest-files';

/**
 * A reviewer-readable summary of who goes where, per service: every entry point (an Istio Gateway
 * or a Gateway API Gateway with its hosts, or the mesh), its rules in the order Istio evaluates them
 * (for Gateway API routes: Gateway API precedence), and the versions each rule sends traffic to
 * with their shares.
 *
 * Works on any plain manifests, whether synthesized by this library or written by hand. Output is
 * deterministic, and a changed weight changes one table row.
 *
 * @example
 *
 * const plan = TrafficPlan.fromDirectory('dist');
 * console.log(plan.toMarkdown());
 */
export class TrafficPlan {
  /** The file `writeToDirectory` writes next to the manifests. */
  public static readonly FILE_NAME = 'TRAFFIC.md';

  /**
   * Builds the plan from Kubernetes objects as parsed from YAML (apiVersion, kind, metadata, spec).
   *
   * @param manifests Gateways, VirtualServices, DestinationRules, Gateway API Gateways and routes, Services and workloads; other kinds are ignored
   */
  public static fromManifests(manifests: any[]): TrafficPlan {
    if (!Array.isArray(manifests)) {
      throw new Error(`manifests must be an array of Kubernetes objects, got ${typeof manifests}`);
    }
    return new TrafficPlan(buildRouteTables(manifests), flaggerRollouts(manifests), buildCallerRows(manifests));
  }

  /**
   * Builds the plan from every `*.yaml` / `*.yml` file below a directory (recursively).
   *
   * @param dir a synthesized output directory, e.g. `dist`
   */
  public static fromDirectory(dir: string): TrafficPlan {
    return TrafficPlan.fromManifests(readManifestFiles([dir]));
  }

  /**
   * Writes `TRAFFIC.md` (the Markdown tables, each with its Mermaid diagram) into a synthesized output
   * directory, next to the manifests it describes. GitOps tools only read `.yaml`/`.yml`/`.json`
   * files, so the file does not disturb syncing.
   *
   * @param dir the directory holding the manifests
   * @returns the path of the written file
   */
  public static writeToDirectory(dir: string): string {
    const plan = TrafficPlan.fromDirectory(dir);
    const file = path.join(dir, TrafficPlan.FILE_NAME);
    fs.writeFileSync(file, plan.toDocument());
    return file;
  }

  /** Route tables by service, gateways before the mesh, rules in evaluation order. */
  public readonly routeTables: PlanRouteTable[];

  /** Rollouts handed to Flagger, which owns their routes: what Flagger will do with them. */
  public readonly flaggerRollouts: PlanFlaggerRollout[];

  private constructor(routeTables: PlanRouteTable[], rollouts: PlanFlaggerRollout[], private readonly callers: CallerRow[]) {
    this.routeTables = routeTables;
    this.flaggerRollouts = rollouts;
  }

  /**
   * The plan as Markdown tables, one per service, then who may call each service when the
   * manifests hold AuthorizationPolicies or PeerAuthentications.
   */
  public toMarkdown(): string {
    return this.render(false);
  }

  /**
   * The plan as one Mermaid `flowchart LR` (without Markdown fences).
   *
   * A box per entry point holds its rules and its own version nodes; with several services, each
   * service is an outer box around its entry points.
   */
  public toMermaid(): string {
    return renderMermaid(this.routeTables);
  }

  /**
   * The full `TRAFFIC.md` text: the Markdown tables, each service's table followed by its diagram
   * in a ```` ```mermaid ```` block.
   */
  public toDocument(): string {
    return this.render(true);
  }

  private render(diagrams: boolean): string {
    const callers = renderCallers(this.callers);
    if (this.flaggerRollouts.length === 0) {
      return renderMarkdown(this.routeTables, diagrams) + callers;
    }
    const tables = this.routeTables.length > 0 ? renderMarkdown(this.routeTables, diagrams) : '# Traffic plan\n\n';
    return `${tables}${renderFlaggerRollouts(this.flaggerRollouts)}${callers}`;
  }
}
