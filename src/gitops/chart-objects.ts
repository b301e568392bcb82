import { ApiObject, App, Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';

/** One synthesized Kubernetes object and the chart folder cdk8s would put it in. */
export interface ChartObject {
  /** The chart's folder name, as cdk8s names it for `FOLDER_PER_CHART_FILE_PER_RESOURCE`. */
  readonly chartFolder: string;
  /** The resolved object, exactly what cdk8s writes for it. */
  readonly json: any;
}

/**
 * Resolves every object the way `App.synth()` does for `FOLDER_PER_CHART_FILE_PER_RESOURCE`,
 * without writing anything: chart dependencies (nested charts and cross-chart references decide
 * whether folders get cdk8s's `0000-` order prefix), then each object in its closest chart. One
 * walk of the tree (`constructs`: `app.node.findAll()`). Validate first (`validateConstructs`), as
 * cdk8s does.
 */
export function resolveChartObjects(app: App, constructs: IConstruct[]): ChartObject[] {
  const folders = chartFolders(app, constructs, addChartDependencies(constructs));
  const objects: ChartObject[] = [];
  for (const construct of constructs) {
    if (construct instanceof ApiObject) {
      objects.push({ chartFolder: folders.get(Chart.of(construct))!, json: construct.toJson() });
    }
  }
  return objects;
}

/** Runs every construct's validations; the same message cdk8s gives. */
export function validateConstructs(constructs: IConstruct[]): void {
  const errors: string[] = [];
  for (const construct of constructs) {
    for (const error of construct.node.validate()) {
      errors.push(`[${construct.node.path}] ${error}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/**
 * Turns nested charts and references between charts into chart dependencies, as cdk8s does before
 * it orders charts; returns whether any chart depends on another.
 */
function addChartDependencies(constructs: IConstruct[]): boolean {
  let dependent = false;
  for (const construct of constructs) {
    if (construct instanceof Chart) {
      for (const child of construct.node.children) {
        if (child instanceof Chart) {
          construct.node.addDependency(child);
          dependent = true;
        }
      }
    }
  }
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const sourceChart = Chart.of(source);
      const targetChart = Chart.of(target);
      if (sourceChart !== targetChart) {
        sourceChart.node.addDependency(targetChart);
        dependent = true;
      }
    }
  }
  return dependent;
}

/** cdk8s's folder names: the chart's DNS label, prefixed with its order when charts depend on each other. */
function chartFolders(app: App, constructs: IConstruct[], dependent: boolean): Map<Chart, string> {
  const folders = new Map<Chart, string>();
  // Only an order prefix needs cdk8s's topological order of charts, a dependency graph of every
  // construct in the app; plain names do not.
  const charts = dependent ? app.charts : constructs.filter((c): c is Chart => c instanceof Chart);
  charts.forEach((chart, index) => {
    const name = Names.toDnsLabel(chart);
    folders.set(chart, dependent ? `${index.toString().padStart(4, '0')}-${name}` : name);
  });
  return folders;
}
