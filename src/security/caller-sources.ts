import { Node } from 'constructs';
import { AllowedCaller } from './allowed-caller';
import { DEFAULT_INGRESS_GATEWAY, isDefaultIngressSelector, ServiceAccountRef } from './gateway-identity';
import { AllowedSources } from '../emit/security-objects';
import { GatewayBinding } from '../gateway-binding';
import { ServiceModel } from '../model/release-model';
import { principalFor } from '../semantics/authorization';
import { TrafficRelease } from '../traffic-release';

/** An allow-list entry turned into the identities it admits. */
export interface ResolvedCaller {
  /** The entry as the user wrote it, for messages. */
  readonly description: string;
  /** Admits every identity (`AllowedCaller.mesh()`). */
  readonly anyIdentity: boolean;
  /** The release's own ingress gateway (`AllowedCaller.ingressGateway()`). */
  readonly ingressGateway?: boolean;
  /** Admits every identity in this namespace. */
  readonly namespace?: string;
  /** The concrete identities it admits, whatever the version. */
  readonly identities: ServiceAccountRef[];
  /** For a release caller: its identity per version name, and its live versions. */
  readonly release?: CallingRelease;
}

/** A calling release's service accounts. */
export interface CallingRelease {
  readonly path: string;
  readonly serviceAccounts: Record<string, string>;
  readonly perVersion: boolean;
  readonly liveVersions: string[];
}

/** What resolving callers needs to know about the called release. */
export interface CalleeContext {
  readonly release: TrafficRelease;
  readonly model: ServiceModel;
  /** The gateway binding as declared (undefined: the default one, when the release has hosts). */
  readonly gateway?: GatewayBinding;
}

/**
 * Resolves an allow-list, checking each entry against the app: a release must belong to this app and
 * give its pods their own service account; the ingress gateway must exist and have a known identity.
 */
export function resolveCallers(callee: CalleeContext, callers: AllowedCaller[]): ResolvedCaller[] {
  const path = callee.model.path;
  if (!Array.isArray(callers) || callers.length === 0) {
    throw new Error(`${path}: allowedCallers is empty: the AuthorizationPolicy would deny every caller; list who may call (e.g. AllowedCaller.mesh()), or leave allowedCallers out to allow everyone`);
  }
  const resolved = callers.map((caller) => resolveCaller(callee, caller));
  const seen = new Set<string>();
  for (const r of resolved) {
    if (seen.has(r.description)) {
      throw new Error(`${path}: duplicate allowed caller ${r.description}: each caller may be listed once`);
    }
    seen.add(r.description);
  }
  return resolved;
}

function resolveCaller(callee: CalleeContext, caller: AllowedCaller): ResolvedCaller {
  const path = callee.model.path;
  if (!(caller instanceof AllowedCaller)) {
    throw new Error(`${path}: invalid allowed caller ${JSON.stringify(caller)}: use AllowedCaller.namespace(), serviceAccount(), release(), ingressGateway() or mesh()`);
  }
  switch (caller.kind) {
    case 'namespace':
      return { description: `AllowedCaller.namespace('${caller.namespaceName}')`, anyIdentity: false, namespace: caller.namespaceName, identities: [] };
    case 'service-account':
      return {
        description: `AllowedCaller.serviceAccount('${caller.namespaceName}', '${caller.serviceAccountName}')`,
        anyIdentity: false,
        identities: [{ namespace: caller.namespaceName!, serviceAccount: caller.serviceAccountName! }],
      };
    case 'ingress-gateway': {
      const identity = ingressGatewayIdentity(callee, caller);
      return { description: 'AllowedCaller.ingressGateway()', anyIdentity: false, ingressGateway: true, identities: [identity] };
    }
    case 'mesh':
      return { description: 'AllowedCaller.mesh()', anyIdentity: true, identities: [] };
    default:
      return releaseCaller(callee, caller.callingRelease!);
  }
}

function releaseCaller(callee: CalleeContext, release: TrafficRelease): ResolvedCaller {
  const path = callee.model.path;
  if (!(release instanceof TrafficRelease)) {
    throw new Error(`${path}: AllowedCaller.release names ${Node.of(release).path}, which is not a release: name a BlueGreen or Canary`);
  }
  const description = `AllowedCaller.release(${release.node.path})`;
  if (Node.of(release).root !== Node.of(callee.release).root) {
    throw new Error(`${path}: ${description} names a release of another app: only releases synthesized together are known; use AllowedCaller.serviceAccount(namespace, name) for workloads of other apps`);
  }
  const identity = release._identity;
  const model = release._model;
  if (!identity) {
    throw new Error(`${path}: ${description} has no identity of its own: its pods run as the namespace's 'default' service account, which every other such pod in namespace '${model.namespace}' shares, so admitting it would admit them all; give '${model.name}' identity: WorkloadIdentity.serviceAccountPerVersion() (or existingServiceAccount(name) for workloads that already have one)`);
  }
  const accounts = [...new Set(Object.values(identity.serviceAccounts))];
  return {
    description,
    anyIdentity: false,
    identities: accounts.map((serviceAccount) => ({ namespace: identity.namespace, serviceAccount })),
    release: {
      path: release.node.path,
      serviceAccounts: identity.serviceAccounts,
      perVersion: identity.perVersion,
      liveVersions: model.versions.filter((v) => !v.retired).map((v) => v.name),
    },
  };
}

/**
 * The release's own gateway pods' identity: stated in the caller, else derived from a created
 * Gateway for the default ingress gateway pods; undefined when it cannot be known.
 */
export function ownGatewayIdentity(callee: CalleeContext): ServiceAccountRef | undefined {
  if (!callee.model.gateway) {
    return undefined;
  }
  const binding = callee.gateway ?? GatewayBinding.create();
  if (binding.createOptions && isDefaultIngressSelector(binding.createOptions.selector ?? DEFAULT_INGRESS_GATEWAY.selector)) {
    return { namespace: DEFAULT_INGRESS_GATEWAY.namespace, serviceAccount: DEFAULT_INGRESS_GATEWAY.serviceAccount };
  }
  return undefined;
}

function ingressGatewayIdentity(callee: CalleeContext, caller: AllowedCaller): ServiceAccountRef {
  const path = callee.model.path;
  if (!callee.model.gateway) {
    throw new Error(`${path}: AllowedCaller.ingressGateway() on a release without hosts: no gateway routes to it; declare hosts, or name the gateway's pods with AllowedCaller.serviceAccount(namespace, name)`);
  }
  const stated = caller.gatewayIdentity;
  if (stated) {
    return {
      namespace: stated.namespace ?? DEFAULT_INGRESS_GATEWAY.namespace,
      serviceAccount: stated.serviceAccount ?? DEFAULT_INGRESS_GATEWAY.serviceAccount,
    };
  }
  const derived = ownGatewayIdentity(callee);
  if (!derived) {
    const binding = callee.gateway!;
    const which = binding.reference !== undefined
      ? `the Gateway ${binding.reference} is bound by reference`
      : `the Gateway selects pods ${JSON.stringify(binding.createOptions?.selector)}, not the default ingress gateway (${JSON.stringify(DEFAULT_INGRESS_GATEWAY.selector)})`;
    throw new Error(`${path}: cannot tell which service account the gateway pods of ${callee.model.gateway} run as: ${which}; state it with AllowedCaller.ingressGateway({ namespace: '...', serviceAccount: '...' })`);
  }
  return derived;
}

/** Whether an allow-list entry admits an identity, whatever the version. */
export function admits(caller: ResolvedCaller, who: ServiceAccountRef): boolean {
  return caller.anyIdentity
    || caller.namespace === who.namespace
    || caller.identities.some((i) => i.namespace === who.namespace && i.serviceAccount === who.serviceAccount);
}

/**
 * The principals and namespaces one AuthorizationPolicy admits: for a version when each version only
 * admits release callers of the same version, else for every version.
 */
export function allowedSources(callers: ResolvedCaller[], version: string | undefined): AllowedSources {
  const principals: string[] = [];
  const namespaces: string[] = [];
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) {
      list.push(value);
    }
  };
  for (const caller of callers) {
    if (caller.anyIdentity) {
      add(principals, '*');
    } else if (caller.namespace !== undefined) {
      add(namespaces, caller.namespace);
    } else if (caller.release && version !== undefined) {
      const account = caller.release.serviceAccounts[version];
      if (account !== undefined) {
        add(principals, principalFor(caller.identities[0].namespace, account));
      }
    } else {
      caller.identities.forEach((i) => add(principals, principalFor(i.namespace, i.serviceAccount)));
    }
  }
  return { principals, namespaces };
}
