import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkServiceAccountName } from './identity-names';
import { WorkloadIdentity } from './workload-identity';
import { MetadataFactory } from '../emit/object-metadata';
import { ServiceModel } from '../model/release-model';
import { ServiceVersion } from '../version-workload';

/** The service account each version's pods run as. */
export interface ReleaseIdentity {
  readonly namespace: string;
  /** Service account by version name (every declared version). */
  readonly serviceAccounts: Record<string, string>;
  /** Whether every version has its own service account. */
  readonly perVersion: boolean;
}

/** What applying an identity produced. */
export interface AppliedIdentity {
  readonly identity?: ReleaseIdentity;
  /** The ServiceAccounts the release created. */
  readonly serviceAccounts: ApiObject[];
}

/**
 * Gives every version's pods their service account: creates the ServiceAccounts the identity asks
 * for and sets `serviceAccountName` on the workloads the release creates or labels. Pods deployed by
 * other means (versions without a workload) must run as it themselves.
 */
export function applyWorkloadIdentity(scope: Construct, model: ServiceModel, identity: WorkloadIdentity | undefined, versions: ServiceVersion[],
  created: Map<string, kplus.Deployment>, metadata: MetadataFactory): AppliedIdentity {
  if (!identity) {
    return { serviceAccounts: [] };
  }
  const names: Record<string, string> = {};
  const serviceAccounts: ApiObject[] = [];
  const createAccount = (id: string, name: string, labels: Record<string, string>) => {
    const md = metadata(name);
    serviceAccounts.push(new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...md, labels: { ...md.labels, ...labels } } }));
  };
  if (identity.kind === 'existing') {
    checkServiceAccountName(`${model.path}: WorkloadIdentity.existingServiceAccount`, identity.serviceAccountName!);
    model.versions.forEach((v) => names[v.name] = identity.serviceAccountName!);
  } else if (identity.kind === 'per-release') {
    createAccount('ServiceAccount', model.name, {});
    model.versions.forEach((v) => names[v.name] = model.name);
  } else {
    for (const v of model.versions) {
      names[v.name] = `${model.name}-${v.name}`;
      createAccount(`ServiceAccount-${v.name}`, names[v.name], { [model.versionLabel]: v.name });
    }
  }
  for (const version of versions) {
    const target = created.get(version.name) ?? version.workload?.workload ?? version.workload?.apiObject;
    if (target) {
      runAs(model.path, version.name, target, names[version.name]);
    }
  }
  return { identity: { namespace: model.namespace, serviceAccounts: names, perVersion: identity.kind === 'per-version' }, serviceAccounts };
}

/** Sets the pod template's service account, refusing to replace a different one the user chose. */
function runAs(path: string, version: string, target: kplus.Workload | ApiObject, serviceAccount: string): void {
  // a cdk8s-plus workload always renders a pod spec; a plain object may lack one
  const podSpec = target instanceof ApiObject ? target.toJson().spec?.template?.spec : {};
  const existing = target instanceof ApiObject ? podSpec?.serviceAccountName ?? podSpec?.serviceAccount : target.serviceAccount?.name;
  const apiObject = target instanceof ApiObject ? target : ApiObject.of(target);
  if (existing !== undefined && existing !== serviceAccount) {
    throw new Error(`${path}: version '${version}' cannot run ${apiObject.kind} ${target.node.path} as service account '${serviceAccount}': its pods already run as '${existing}'; declare identity: WorkloadIdentity.existingServiceAccount('${existing}') or remove the service account from the workload`);
  }
  if (podSpec === undefined) {
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec', {}));
  }
  apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/serviceAccountName', serviceAccount));
}
