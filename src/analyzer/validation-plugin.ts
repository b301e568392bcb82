import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { analyze } from './analyze';
import { CODES } from './codes';
import { AnalysisOptions, Finding, FindingSeverity } from './finding';
import { readConstructPaths } from '../validate/construct-paths';
import { objectIdentity } from '../validate/unique-objects';

/**
 * Properties of the cdk8s validation plugin, given as `properties` in `cdk8s.yaml`.
 */
export interface IstioTrafficValidationProps extends AnalysisOptions {
  /**
   * The lowest severity that fails `cdk8s synth`.
   *
   * @default FindingSeverity.ERROR
   */
  readonly failOn?: FindingSeverity;

  /**
   * The lowest severity that is reported at all.
   *
   * @default FindingSeverity.WARNING
   */
  readonly reportFrom?: FindingSeverity;
}

const RANK: Record<string, number> = { ERROR: 3, WARNING: 2, INFO: 1 };

/**
 * A cdk8s CLI validation plugin that runs `analyze` over every manifest `cdk8s synth` writes, hand
 * written Istio objects included. Configure it in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio-traffic
 *     version: <any version: not read for a local path>
 *     class: IstioTrafficValidation
 *     properties: { knownGateways: [istio-system/public-gateway] }
 * ```
 *
 * The context is typed `any` so the CLI's (non-jsii) types stay out of this library's API; it is
 * cdk8s-cli's `ValidationContext`.
 */
export class IstioTrafficValidation {
  private readonly props: IstioTrafficValidationProps;

  constructor(props: IstioTrafficValidationProps = {}) {
    for (const [key, value] of Object.entries({ failOn: props.failOn, reportFrom: props.reportFrom })) {
      if (value !== undefined && RANK[value] === undefined) {
        throw new Error(`IstioTrafficValidation: invalid ${key} '${value}': must be one of ${Object.keys(RANK).join(', ')}`);
      }
    }
    this.props = props;
  }

  /**
   * Runs the analysis and submits the report: `failure` when a finding reaches `failOn`.
   *
   * @param context cdk8s-cli `ValidationContext` (manifests, parseManifest, report, logger)
   */
  public async validate(context: any): Promise<void> {
    const manifests: any[] = [];
    const fileOf = new Map<string, string>();
    const identityOf = new Map<string, string>();
    for (const file of context.manifests as string[]) {
      const docs = typeof context.parseManifest === 'function' ? context.parseManifest(file) : parseFile(file);
      for (const doc of docs) {
        if (doc && typeof doc === 'object') {
          manifests.push(doc);
          const key = objectKey(doc.kind, doc.metadata?.namespace ?? 'default', doc.metadata?.name ?? '');
          fileOf.set(key, file);
          identityOf.set(key, objectIdentity(String(doc.apiVersion ?? ''), String(doc.kind), doc.metadata?.namespace, String(doc.metadata?.name ?? '')));
        }
      }
    }
    const findings = analyze(manifests, this.props);
    const recorded = readConstructPaths(context.manifests as string[]);
    const metadata: Record<string, { path?: string }> | undefined = context.metadata && typeof context.metadata === 'object' ? context.metadata : undefined;
    const constructPathOf = (f: Finding) => recorded.get(identityOf.get(objectKey(f.kind, f.namespace, f.name)) ?? '') ?? metadata?.[f.name]?.path;
    const reportFrom = RANK[this.props.reportFrom ?? FindingSeverity.WARNING];
    const failOn = RANK[this.props.failOn ?? FindingSeverity.ERROR];
    const reported = findings.filter((f) => RANK[f.severity] >= reportFrom);
    if (reported.some((f) => constructPathOf(f) === undefined)) {
      context.logger?.log?.('cdk8s-istio-traffic: construct paths show N/A because the app recorded none: '
        + 'any construct of this library records them when the cdk8s CLI validates; without one, leave recordConstructMetadata unset on the App');
    }
    for (const finding of reported) {
      const constructPath = constructPathOf(finding);
      // cdk8s-cli looks construct paths up by object name in the context's metadata when a violation
      // is added; several objects share a name, so this object's path is put there for the call
      const saved = metadata?.[finding.name];
      if (metadata && constructPath !== undefined) {
        metadata[finding.name] = { ...saved, path: constructPath };
      }
      context.report.addViolation({
        ruleName: ruleName(finding),
        recommendation: finding.message,
        fix: finding.fix,
        violatingResources: [{
          resourceName: finding.name,
          locations: [finding.path ?? ''],
          manifestPath: fileOf.get(objectKey(finding.kind, finding.namespace, finding.name)) ?? '',
          ...(constructPath !== undefined ? { constructPath } : {}),
        }],
      });
      if (metadata && constructPath !== undefined) {
        if (saved === undefined) {
          delete metadata[finding.name];
        } else {
          metadata[finding.name] = saved;
        }
      }
    }
    const failed = findings.some((f) => RANK[f.severity] >= failOn);
    const count = (s: FindingSeverity) => String(findings.filter((f) => f.severity === s).length);
    context.report.submit(failed ? 'failure' : 'success', { errors: count(FindingSeverity.ERROR), warnings: count(FindingSeverity.WARNING), infos: count(FindingSeverity.INFO) });
  }
}

function ruleName(finding: Finding): string {
  const title = (CODES as Record<string, { title: string }>)[finding.code]?.title ?? '';
  return `${finding.code} ${title} (${finding.severity}, ${finding.kind} ${finding.namespace}/${finding.name})`;
}

function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

function parseFile(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}
