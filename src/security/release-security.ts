import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { AllowedCaller } from './allowed-caller';
import { admits, allowedSources, CalleeContext, ownGatewayIdentity, ResolvedCaller, resolveCallers } from './caller-sources';
import { MutualTls } from './mutual-tls';
import { applyWorkloadIdentity, ReleaseIdentity } from './release-identity';
import { WorkloadIdentity } from './workload-identity';
import { IstioApiVersion } from '../api-version';
import { MetadataFactory } from '../emit/object-metadata';
import {
  allowPolicySpec, AUTHORIZATION_POLICY, PEER_AUTHENTICATION, PortMode, securityObject, strictPeerAuthenticationSpec,
} from '../emit/security-objects';
import { GatewayBinding } from '../gateway-binding';
import { ServiceModel, StrategyModel } from '../model/release-model';
import { ServicePort } from '../service-port';
import { checkUnique } from '../validate/names';
import { ServiceVersion } from '../version-workload';

/** What a release declares about who may call it. */
export interface SecurityDeclaration {
  readonly mtls?: MutualTls;
  readonly allowedCallers?: AllowedCaller[];
  readonly identity?: WorkloadIdentity;
  readonly sameVersionCallersOnly?: boolean;
  readonly gateway?: GatewayBinding;
  readonly ports: ServicePort[];
}

/** Everything the release needs to write its security objects. */
export interface SecurityContext {
  readonly model: ServiceModel;
  readonly strategy: StrategyModel;
  readonly versions: ServiceVersion[];
  /** Deployments the release created, by version name. */
  readonly createdDeployments: Map<string, kplus.Deployment>;
  readonly apiVersion: IstioApiVersion;
  readonly metadata: MetadataFactory;
  /** Whether the rollout is handed to Flagger. */
  readonly flagger: boolean;
}

/** The objects a release wrote for who may call it. */
export interface ReleaseSecurity {
  readonly identity?: ReleaseIdentity;
  readonly serviceAccounts: ApiObject[];
  readonly peerAuthentication?: ApiObject;
  readonly authorizationPolicies: ApiObject[];
}

/**
 * Checks and writes a release's caller security: the service accounts of its pods, a STRICT
 * PeerAuthentication, and an ALLOW AuthorizationPolicy (one per version when each version only
 * admits callers of its own version). Every message names the release, the bad value and the fix.
 */
export function declareReleaseSecurity(release: CalleeContext['release'], declaration: SecurityDeclaration, context: SecurityContext): ReleaseSecurity {
  const { model, metadata } = context;
  const path = model.path;
  checkPlainTextFlags(path, declaration.ports);
  const declared = declaration.mtls !== undefined || declaration.allowedCallers !== undefined
    || declaration.identity !== undefined || declaration.sameVersionCallersOnly === true;
  if (!declared) {
    return { serviceAccounts: [], authorizationPolicies: [] };
  }
  if (context.flagger) {
    throw new Error(`${path}: mtls, allowedCallers and identity cannot be combined with flagger yet: Flagger renames the primary's app label to '${model.name}-primary' and copies the workload, so policies selecting '${model.appLabel}: ${model.name}' would miss the primary pods; declare the PeerAuthentication and AuthorizationPolicy next to the release instead`);
  }
  const exceptions = declaration.mtls ? portExceptions(path, model, declaration.mtls, declaration.ports) : [];
  const applied = applyWorkloadIdentity(release, model, declaration.identity, context.versions, context.createdDeployments, metadata);
  const selector = { [model.appLabel]: model.name };

  const peerAuthentication = declaration.mtls
    ? securityObject(release, 'PeerAuthentication', PEER_AUTHENTICATION, context.apiVersion, metadata(model.name), strictPeerAuthenticationSpec(selector, exceptions))
    : undefined;

  const authorizationPolicies: ApiObject[] = [];
  if (declaration.allowedCallers !== undefined) {
    const callee: CalleeContext = { release, model, gateway: declaration.gateway };
    const callers = resolveCallers(callee, declaration.allowedCallers);
    checkNoLockout(callee, callers, declaration, exceptions);
    if (declaration.sameVersionCallersOnly) {
      checkSameVersionCallers(path, model, context.strategy, callers);
      for (const version of model.versions) {
        authorizationPolicies.push(securityObject(release, `AuthorizationPolicy-${version.name}`, AUTHORIZATION_POLICY, context.apiVersion,
          metadata(`${model.name}-${version.name}`), allowPolicySpec({ ...selector, [model.versionLabel]: version.name }, allowedSources(callers, version.name))));
      }
    } else {
      authorizationPolicies.push(securityObject(release, 'AuthorizationPolicy', AUTHORIZATION_POLICY, context.apiVersion,
        metadata(model.name), allowPolicySpec(selector, allowedSources(callers, undefined))));
    }
  } else if (declaration.sameVersionCallersOnly) {
    throw new Error(`${path}: sameVersionCallersOnly without allowedCallers restricts nothing: list the calling releases, e.g. allowedCallers: [AllowedCaller.release(web)]`);
  }
  return { identity: applied.identity, serviceAccounts: applied.serviceAccounts, peerAuthentication, authorizationPolicies };
}

/** Port-level exceptions of strict mutual TLS, keyed by target port as Istio expects. */
function portExceptions(path: string, model: ServiceModel, mtls: MutualTls, ports: ServicePort[]): PortMode[] {
  if (!(mtls instanceof MutualTls)) {
    throw new Error(`${path}: invalid mtls ${JSON.stringify(mtls)}: use MutualTls.strict()`);
  }
  const declaredPorts = model.ports.map((p) => p.port);
  const listed = [
    ...mtls.permissivePorts.map((port) => ({ port, mode: 'PERMISSIVE' as const, option: 'permissivePorts' })),
    ...mtls.disabledPorts.map((port) => ({ port, mode: 'DISABLE' as const, option: 'disabledPorts' })),
  ];
  for (const entry of listed) {
    if (!declaredPorts.includes(entry.port)) {
      throw new Error(`${path}: unknown port ${entry.port} in MutualTls.strict ${entry.option}: the release's ports are ${declaredPorts.join(', ')}`);
    }
  }
  checkUnique(`${path}: MutualTls.strict`, 'port exception', listed.map((e) => String(e.port)));
  const byTarget = new Map<number, PortMode>();
  for (const entry of listed) {
    const targetPort = model.ports.find((p) => p.port === entry.port)!.targetPort;
    const other = byTarget.get(targetPort);
    if (other && other.mode !== entry.mode) {
      throw new Error(`${path}: MutualTls.strict gives target port ${targetPort} two modes (${other.mode} and ${entry.mode}): Istio sets mTLS per workload port, so service ports sharing a target port share its mode`);
    }
    byTarget.set(targetPort, { targetPort, mode: entry.mode });
  }
  for (const port of ports.filter((p) => p.plainTextClients === true)) {
    if (!listed.some((e) => e.port === port.port)) {
      throw new Error(`${path}: port ${port.port} takes plain-text clients (plainTextClients), but MutualTls.strict() makes the pods reject every connection without mutual TLS, so those clients would see their connections reset; keep the port open with MutualTls.strict({ permissivePorts: [${port.port}] }) (plain text and mTLS) or disabledPorts (plain text only), or stop declaring plain-text clients`);
    }
  }
  return [...byTarget.values()];
}

function checkPlainTextFlags(path: string, ports: ServicePort[]): void {
  for (const port of Array.isArray(ports) ? ports : []) {
    if (port.plainTextClients !== undefined && typeof port.plainTextClients !== 'boolean') {
      throw new Error(`${path}: port ${port.port} has plainTextClients '${port.plainTextClients}': must be true or false`);
    }
  }
}

/** An allow-list must not deny the release's own gateway, nor callers that can never show an identity. */
function checkNoLockout(callee: CalleeContext, callers: ResolvedCaller[], declaration: SecurityDeclaration, exceptions: PortMode[]): void {
  const { model } = callee;
  const path = model.path;
  const listed = callers.map((c) => c.description).join(', ');
  if (model.gateway && !callers.some((c) => c.ingressGateway || c.anyIdentity)) {
    const gateway = ownGatewayIdentity(callee);
    if (!gateway || !callers.some((c) => admits(c, gateway))) {
      const who = gateway ? ` (pods running as ${gateway.namespace}/${gateway.serviceAccount})` : '';
      throw new Error(`${path}: allowedCallers (${listed}) lock out the release's own gateway ${model.gateway}${who}: every request to ${[...model.externalHosts, ...Object.values(model.previewHosts)].join(', ')} would get 403; add AllowedCaller.ingressGateway()`);
    }
  }
  const disabled = exceptions.find((e) => e.mode === 'DISABLE');
  if (disabled) {
    throw new Error(`${path}: target port ${disabled.targetPort} is plain text only (MutualTls.strict disabledPorts), so no caller presents an identity there and allowedCallers (${listed}) would deny every request to it; use permissivePorts instead, which keeps mutual TLS for callers in the mesh`);
  }
  const plain = declaration.ports.find((p) => p.plainTextClients === true);
  if (plain) {
    throw new Error(`${path}: port ${plain.port} takes plain-text clients (plainTextClients), which carry no identity, so allowedCallers (${listed}) would deny them all with 403; give those clients a sidecar and list them, or leave allowedCallers out`);
  }
}

/**
 * With `sameVersionCallersOnly`, each version admits only the same version of each calling release:
 * version affinity must route callers there, and every caller version must find its counterpart.
 */
function checkSameVersionCallers(path: string, model: ServiceModel, strategy: StrategyModel, callers: ResolvedCaller[]): void {
  if (strategy.kind !== 'blue-green' || !strategy.versionAffinity) {
    throw new Error(`${path}: sameVersionCallersOnly needs versionAffinity: true, which routes each caller to the version of its own name; without it a green caller would be sent to blue pods that deny it`);
  }
  const releases = callers.filter((c) => c.release !== undefined);
  if (releases.length === 0) {
    throw new Error(`${path}: sameVersionCallersOnly restricts release callers only, and allowedCallers (${callers.map((c) => c.description).join(', ')}) names none; add AllowedCaller.release(...) or drop sameVersionCallersOnly`);
  }
  const live = model.versions.filter((v) => !v.retired).map((v) => v.name);
  for (const caller of releases) {
    const release = caller.release!;
    if (!release.perVersion) {
      throw new Error(`${path}: sameVersionCallersOnly cannot tell the versions of ${caller.description} apart: they share one service account; give it identity: WorkloadIdentity.serviceAccountPerVersion()`);
    }
    const orphans = release.liveVersions.filter((v) => !live.includes(v));
    if (orphans.length > 0) {
      throw new Error(`${path}: with sameVersionCallersOnly, version${orphans.length > 1 ? 's' : ''} ${orphans.map((v) => `'${v}'`).join(', ')} of ${caller.description} would be locked out: this release has no live version of that name (live: ${live.join(', ')}); declare it here, or drop sameVersionCallersOnly`);
    }
    const widening = callers.find((other) => other !== caller && !other.release && caller.identities.some((i) => admits(other, i)));
    if (widening) {
      throw new Error(`${path}: sameVersionCallersOnly has no effect on ${caller.description}: ${widening.description} admits every version of it anyway; remove ${widening.description} or drop sameVersionCallersOnly`);
    }
  }
}
