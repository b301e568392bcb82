import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Canary as FlaggerCanary, MetricTemplate } from '../../imports/flagger.app';
import { FlaggerAnalysisProps } from '../flagger-analysis';
import { ServiceModel, StrategyModel } from '../model/release-model';
import { checkFlaggerAnalysis } from '../validate/flagger-rules';
import { ServiceVersion } from '../version-workload';
import { flaggerCanarySpec, FlaggerTarget, metricTemplates } from './flagger-specs';
import { MetadataFactory } from './object-metadata';
import { applyVersionWorkload, VersionWorkloadResult, WorkloadContext } from './workloads';

/** What a release handed to Flagger writes. */
export interface FlaggerRelease {
  readonly canary: ApiObject;
  readonly metricTemplates: ApiObject[];
  readonly workload?: VersionWorkloadResult;
}

/**
 * Writes the release for Flagger: the one workload Flagger watches (named after the service; Flagger
 * creates `<name>-primary`, the Services, DestinationRules and VirtualService at runtime), a Flagger
 * Canary carrying the analysis, and a MetricTemplate per custom metric.
 */
export function emitFlaggerRelease(scope: Construct, model: ServiceModel, strategy: StrategyModel, versions: ServiceVersion[],
  analysisProps: FlaggerAnalysisProps, context: WorkloadContext, metadata: MetadataFactory): FlaggerRelease {
  const where = `${model.path} (flagger)`;
  rejectStaticOnlyFeatures(where, model, strategy);
  const analysis = checkFlaggerAnalysis(model.path, strategy, analysisProps);

  const targetVersion = strategy.kind === 'blue-green' ? strategy.activeVersion! : strategy.canary;
  const index = versions.findIndex((v) => v.name === targetVersion);
  const declared = versions[index].workload;
  const elsewhere = versions.find((v) => v.workload !== undefined && v.name !== targetVersion);
  if (!declared && elsewhere) {
    throw new Error(`${where}: version '${elsewhere.name}' declares a workload, but Flagger rolls out only the ${strategy.kind === 'blue-green' ? 'activeVersion' : 'canary'} '${targetVersion}', which has none, so the workload would be dropped; move the workload to '${targetVersion}'${strategy.kind === 'blue-green' ? ` or set activeVersion: '${elsewhere.name}'` : ''}`);
  }
  const workload = declared
    ? applyVersionWorkload(scope, context, model.versions[index], declared, { name: model.name, selector: { [model.appLabel]: model.name } })
    : undefined;
  if (workload?.deployment && declared?.containerProps?.replicas === undefined) {
    // Flagger scales the target (to zero after promotion); a replica count in Git would make every
    // GitOps sync scale it back up.
    ApiObject.of(workload.deployment).addJsonPatch(JsonPatch.remove('/spec/replicas'));
  }
  const target: FlaggerTarget = { kind: targetKind(where, workload), name: workload?.name ?? model.name };

  const canary = new FlaggerCanary(scope, 'FlaggerCanary', {
    metadata: metadata(model.name),
    spec: flaggerCanarySpec(model, strategy, analysis, target),
  });
  const templates = metricTemplates(analysis).map((t) => new MetricTemplate(scope, `MetricTemplate-${t.name}`, { metadata: metadata(t.name), spec: t.spec }));
  return { canary, metricTemplates: templates, workload };
}

function rejectStaticOnlyFeatures(where: string, model: ServiceModel, strategy: StrategyModel): void {
  if (Object.keys(model.previewHosts).length > 0) {
    throw new Error(`${where}: preview hosts ${Object.values(model.previewHosts).join(', ')} cannot be handed to Flagger: Flagger routes all hosts to one weighted route; remove previewHosts or the flagger option`);
  }
  if (model.ports.length !== 1 || !model.ports[0].http) {
    throw new Error(`${where}: ports ${model.ports.map((p) => `${p.port}/${p.protocol}`).join(', ')} cannot be handed to Flagger: its Istio router routes exactly one http, http2, grpc or grpc-web port`);
  }
  if (strategy.kind === 'blue-green') {
    if (strategy.activeVersion === undefined) {
      throw new Error(`${where}: no activeVersion: Flagger rolls out one workload, so set activeVersion to the version to roll out`);
    }
    if (strategy.versionAffinity) {
      throw new Error(`${where}: versionAffinity cannot be handed to Flagger: its routes do not select callers by label; remove versionAffinity or the flagger option`);
    }
  } else if (strategy.forceStable.length > 0) {
    throw new Error(`${where}: forceStable cannot be handed to Flagger: its analysis can only force requests to the canary (A/B match); remove forceStable or the flagger option`);
  } else if (strategy.forceCanary.some((m) => m.uriExact !== undefined || m.uriPrefix !== undefined || m.uriRegex !== undefined)) {
    throw new Error(`${where}: forceCanary matches on the path cannot be handed to Flagger: A/B matches take headers and cookies only`);
  }
}

function targetKind(where: string, workload: VersionWorkloadResult | undefined): FlaggerTarget['kind'] {
  const kind = workload?.kind ?? 'Deployment';
  if (kind !== 'Deployment' && kind !== 'DaemonSet') {
    throw new Error(`${where}: Flagger cannot roll out a ${kind}: use a Deployment or DaemonSet`);
  }
  return kind;
}
