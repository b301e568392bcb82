import {
  GatewaySpec, GatewaySpecListeners, GatewaySpecListenersTlsMode, HttpRouteSpec, HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../../imports/gateway.networking.k8s.io';
import { CreatedGatewayOptions } from '../gateway-binding';
import { gatewayParent } from './parent-refs';

/** Gateway API limits (`GA apis/v1/gateway_types.go`, `GA apis/v1/httproute_types.go`). */
const MAX_LISTENERS = 64;
const MAX_HOSTNAMES = 16;

/** The listeners of a created Gateway, and which of them serve (or only redirect) each host. */
export interface ListenerPlan {
  readonly spec: GatewaySpec;
  /** Listener names that serve a host's routes. */
  readonly serving: Map<string, string[]>;
  /** Plain HTTP listeners that answer every request with a redirect to HTTPS. */
  readonly redirecting: string[];
}

/** Where the TLS certificate of a created Gateway lives. */
export interface CertificateRef {
  readonly name: string;
  /** Set when the Secret is in another namespace than the Gateway. */
  readonly namespace?: string;
}

/**
 * A Gateway of class `istio` with one listener per host and protocol, so every route names the
 * listeners it attaches to (`sectionName`): a route never lands on a listener meant for another
 * host, and the redirect route only on the plain HTTP listeners (docs/gateway-api-semantics.md §8
 * P21). With a certificate, port 443 terminates TLS and port 80 redirects, serves, or is left out,
 * as with the Istio Gateway the Istio output writes.
 */
export function planListeners(where: string, hosts: string[], options: CreatedGatewayOptions, certificate?: CertificateRef): ListenerPlan {
  const listeners: GatewaySpecListeners[] = [];
  const serving = new Map<string, string[]>();
  const redirecting: string[] = [];
  const add = (host: string, protocol: 'HTTP' | 'HTTPS', serves: boolean) => {
    const name = listenerName(protocol, host);
    listeners.push({
      name,
      hostname: host === '*' ? undefined : host,
      port: protocol === 'HTTPS' ? 443 : 80,
      protocol,
      tls: protocol === 'HTTPS' ? {
        mode: GatewaySpecListenersTlsMode.TERMINATE,
        certificateRefs: [{ group: '', kind: 'Secret', name: certificate!.name, namespace: certificate!.namespace }],
      } : undefined,
    });
    if (serves) {
      serving.set(host, [...serving.get(host) ?? [], name]);
    } else {
      redirecting.push(name);
    }
  };
  for (const host of hosts) {
    if (certificate === undefined) {
      add(host, 'HTTP', true);
    } else {
      add(host, 'HTTPS', true);
      if (options.httpsRedirect || options.serveHttp) {
        add(host, 'HTTP', options.serveHttp === true);
      }
    }
  }
  if (listeners.length > MAX_LISTENERS) {
    throw new Error(`${where}: the Gateway would need ${listeners.length} listeners (one per host and protocol), but Gateway API allows ${MAX_LISTENERS}: serve fewer hosts from one release, or bind to an existing Gateway with GatewayBinding.fromReference`);
  }
  return { spec: { gatewayClassName: 'istio', listeners }, serving, redirecting };
}

/** `https-app.example.com`, `http-wildcard.example.com` (for `*.example.com`), `http-any` (for `*`). */
function listenerName(protocol: string, host: string): string {
  const suffix = host === '*' ? 'any' : host.replace(/^\*\./, 'wildcard.');
  return `${protocol.toLowerCase()}-${suffix}`;
}

/** Route `hostnames`: none for `*` (every host of the listener), else the hosts themselves. */
export function routeHostnames(where: string, hosts: string[]): string[] | undefined {
  if (hosts.length > MAX_HOSTNAMES) {
    throw new Error(`${where}: ${hosts.length} hosts, but an HTTPRoute takes at most ${MAX_HOSTNAMES} hostnames: split the hosts over several releases`);
  }
  return hosts.includes('*') ? undefined : [...hosts];
}

/**
 * The route that answers plain HTTP with a 301 to HTTPS, attached to the HTTP listeners only; it
 * has no backends (docs/gateway-api-semantics.md §3.3).
 */
export function redirectRouteSpec(where: string, gatewayName: string, plan: ListenerPlan, hosts: string[]): HttpRouteSpec {
  return {
    parentRefs: plan.redirecting.map((sectionName) => ({ ...gatewayParent(gatewayName), sectionName })),
    hostnames: routeHostnames(where, hosts),
    rules: [{
      filters: [{
        type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
        requestRedirect: {
          scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
          statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
        },
      }],
    }],
  };
}
