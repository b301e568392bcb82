import { NormalizedRequest } from './request';
import { RequestProtocol, RouteDestination, RouteOutcome, RouteResult, SimulatedRequest } from './types';
import { DEFAULT_INGRESS_GATEWAY, isDefaultIngressSelector } from '../security/gateway-identity';
import {
  AuthorizationDecision, authorize, mutualTlsMode, PolicyWorkload, policiesForWorkload, principalFor,
} from '../semantics/authorization';
import { subsetsFor } from '../semantics/destinations';
import { GatewayApiIndex } from '../semantics/gateway-api/gateway-api-index';
import { IndexedPod, ManifestIndex } from '../semantics/manifest-index';
import { PortProtocol } from '../semantics/protocols';

/** Who sends a request, as the called pods' sidecars see it. */
export interface CallerIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Namespace whose DestinationRules the caller's proxy consults first. */
  readonly clientNamespace: string;
  /** How the identity was found, when it was not given. */
  readonly notes: string[];
}

/**
 * The caller's mesh identity: given on the request, else the service account of a workload in the
 * manifests (the pods carrying the caller's labels, or the gateway pods), else Istio's defaults.
 */
export function callerIdentity(index: ManifestIndex, request: SimulatedRequest): CallerIdentity {
  const notes: string[] = [];
  const kubernetesGateway = request.gateway !== undefined && !index.gateways.has(String(request.gateway))
    ? GatewayApiIndex.of(index).gateway(String(request.gateway)) : undefined;
  if (kubernetesGateway) {
    // istiod deploys a Gateway of class istio as `<name>-istio`, running as that service account
    const namespace = request.sourceNamespace ?? kubernetesGateway.namespace;
    const serviceAccount = request.sourceServiceAccount ?? `${kubernetesGateway.name}-${kubernetesGateway.className}`;
    return { namespace, serviceAccount, clientNamespace: namespace, notes };
  }
  if (request.gateway !== undefined) {
    const gw = index.gateway(String(request.gateway));
    const pod = index.gatewayPod(gw);
    const defaultIngress = isDefaultIngressSelector(gw.spec.selector);
    const namespace = request.sourceNamespace ?? pod?.namespace ?? (defaultIngress ? DEFAULT_INGRESS_GATEWAY.namespace : gw.namespace);
    let serviceAccount = request.sourceServiceAccount ?? pod?.serviceAccount;
    if (serviceAccount === undefined) {
      serviceAccount = defaultIngress ? DEFAULT_INGRESS_GATEWAY.serviceAccount : 'default';
      notes.push(defaultIngress
        ? `no gateway workload in the manifests: the caller is taken to be Istio's default ingress gateway, ${namespace}/${serviceAccount}`
        : `no gateway workload in the manifests and its selector is not the default ingress gateway's: the caller is taken to run as ${namespace}/default (give sourceServiceAccount)`);
    }
    return { namespace, serviceAccount, clientNamespace: request.sourceNamespace ?? pod?.namespace ?? gw.namespace, notes };
  }
  const namespace = request.sourceNamespace ?? 'default';
  if (request.sourceServiceAccount !== undefined) {
    return { namespace, serviceAccount: request.sourceServiceAccount, clientNamespace: namespace, notes };
  }
  const labels = request.sourceLabels ?? {};
  const pods = Object.keys(labels).length > 0 ? index.podsMatching(namespace, labels) : [];
  const accounts = [...new Set(pods.map((p) => p.serviceAccount))];
  if (accounts.length === 1) {
    notes.push(`the caller's service account ${namespace}/${accounts[0]} is taken from ${pods[0].owner}, whose pods carry its labels`);
    return { namespace, serviceAccount: accounts[0], clientNamespace: namespace, notes };
  }
  notes.push(accounts.length > 1
    ? `pods with the caller's labels run as several service accounts (${accounts.join(', ')}): the caller is taken to run as ${namespace}/default (give sourceServiceAccount)`
    : `the caller is taken to run as ${namespace}/default (give sourceServiceAccount)`);
  return { namespace, serviceAccount: 'default', clientNamespace: namespace, notes };
}

/** The decision for one destination: denied when every pod behind it denies. */
interface DestinationVerdict {
  readonly destination: RouteDestination;
  /** The decisions of the denying pods, when every pod behind the destination denies. */
  readonly denials?: AuthorizationDecision[];
  /** Whether any AuthorizationPolicy applies to the pods behind the destination. */
  readonly guarded: boolean;
}

/**
 * Applies the AuthorizationPolicies of the pods a routed request reaches (their sidecars enforce
 * them after routing): when every destination denies, the result becomes `FORBIDDEN`; when only
 * some do, a note gives the share that is denied.
 */
export function authorizeRoute(index: ManifestIndex, request: SimulatedRequest, req: NormalizedRequest, result: RouteResult): RouteResult {
  const forwarded = result.outcome === RouteOutcome.ROUTED || result.outcome === RouteOutcome.DEFAULT_ROUTE;
  if (index.authorizationPolicies.length === 0 || !forwarded || result.destinations.length === 0) {
    return result;
  }
  const caller = callerIdentity(index, request);
  const notes: string[] = [];
  const verdicts = result.destinations.map((d) => destinationVerdict(index, caller, req, result, d, notes));
  if (!verdicts.some((v) => v.guarded)) {
    return result;
  }
  const principal = principalFor(caller.namespace, caller.serviceAccount);
  // several pods may report the same assumption
  const allNotes = [...new Set([...result.notes, ...caller.notes, ...notes])];
  const denied = verdicts.filter((v) => v.denials !== undefined);
  const reasons = (v: DestinationVerdict) => [...new Set(v.denials!.map((d) => d.reason))].join('; ');
  if (denied.length === verdicts.length) {
    return {
      ...result,
      outcome: RouteOutcome.FORBIDDEN,
      statusCode: req.protocol === RequestProtocol.TCP ? 0 : 403,
      deniedBy: [...new Set(denied.flatMap((v) => v.denials!.flatMap((d) => d.policies)))],
      notes: allNotes,
      reason: `RBAC: access denied for ${principal} at ${denied.map((v) => `${describe(v.destination)} (${reasons(v)})`).join(', ')}; ${req.protocol === RequestProtocol.TCP ? 'the connection is closed' : '403'}`,
    };
  }
  for (const v of denied) {
    allNotes.push(`${v.destination.percentage}% of requests go to ${describe(v.destination)}, which denies ${principal} with 403: ${reasons(v)}`);
  }
  return { ...result, notes: allNotes };
}

function destinationVerdict(index: ManifestIndex, caller: CallerIdentity, req: NormalizedRequest, result: RouteResult,
  destination: RouteDestination, notes: string[]): DestinationVerdict {
  const svc = index.services.get(destination.host);
  if (!svc?.selector || !destination.healthy) {
    return { destination, guarded: false };
  }
  const subsetLabels = destination.subset ? subsetsFor(index, svc.fqdn, svc.namespace, caller.clientNamespace).get(destination.subset) : undefined;
  let pods: PolicyWorkload[] = index.podsMatching(svc.namespace, svc.selector, subsetLabels);
  if (!index.hasWorkloads) {
    pods = [{ namespace: svc.namespace, labels: { ...svc.selector, ...subsetLabels } }];
    notes.push(`no workloads in the manifests: the pods of ${describe(destination)} are taken to carry only the Service selector and subset labels`);
  }
  const port = svc.ports.find((p) => p.port === destination.port);
  const targetPort = port?.targetPort ?? destination.port;
  const httpPort = port !== undefined && (port.protocol === PortProtocol.HTTP || port.protocol === PortProtocol.SNIFFED);
  const http = req.protocol === RequestProtocol.HTTP && httpPort;
  const upstreamPath = result.path ?? req.path;
  let guarded = false;
  const denials: AuthorizationDecision[] = [];
  const allowedBy: string[] = [];
  const deniedBy: string[] = [];
  for (const pod of distinctPods(pods)) {
    const policies = policiesForWorkload(index.authorizationPolicies, pod);
    guarded = guarded || policies.length > 0;
    // sidecars send mutual TLS unless the server port's mode is DISABLE; plain text carries no identity
    const mode = mutualTlsMode(index.peerAuthentications, pod, targetPort);
    const decision = authorize(policies, {
      principal: mode === 'DISABLE' ? undefined : principalFor(caller.namespace, caller.serviceAccount),
      protocol: http ? 'HTTP' : 'TCP',
      port: targetPort,
      host: result.authority ?? req.authority,
      method: req.method,
      path: upstreamPath.split('?')[0],
      headers: Object.fromEntries(req.headers),
    });
    decision.assumptions.forEach((a) => notes.push(a));
    decision.delegatedTo.forEach((p) => notes.push(`CUSTOM policy ${p} hands the request to its external authorizer, which the simulator assumes allows it`));
    if (mode === 'DISABLE' && policies.length > 0) {
      notes.push(`port ${targetPort} of ${describe(destination)} has mutual TLS DISABLE, so the caller's sidecar sends plain text without an identity`);
    }
    const labels = Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ');
    if (decision.allowed) {
      allowedBy.push(labels);
    } else {
      deniedBy.push(labels);
      denials.push(decision);
    }
  }
  if (denials.length === 0) {
    return { destination, guarded };
  }
  if (allowedBy.length > 0) {
    // the Service balances over every pod, so only the requests that land on the denying pods fail
    notes.push(`requests to ${describe(destination)} that reach pods labelled ${deniedBy.join('; ')} get 403 (${denials.map((d) => d.reason).join('; ')}); pods labelled ${allowedBy.join('; ')} allow them`);
    return { destination, guarded };
  }
  return { destination, guarded, denials };
}

/** One representative per set of labels: policies only see namespace and labels. */
function distinctPods(pods: (IndexedPod | PolicyWorkload)[]): PolicyWorkload[] {
  const seen = new Map<string, PolicyWorkload>();
  for (const pod of pods) {
    const key = `${pod.namespace}|${JSON.stringify(Object.entries(pod.labels).sort())}`;
    if (!seen.has(key)) {
      seen.set(key, pod);
    }
  }
  return [...seen.values()];
}

function describe(d: RouteDestination): string {
  return d.subset ? `subset ${d.subset} of ${d.host}` : d.host;
}
