import { extend } from './extend';
import { IndexedObject, IndexedVirtualService, ManifestIndex } from './manifest-index';
import { matchesMayOverlap } from './match';
import { pushTo } from './multimap';
import {
  formatLabels, hostCovers, hostIntersection, isExportedTo, labelsSubsetOf, MESH_GATEWAY, parseServerHost, resolveGatewayName, resolveShortname,
  ROOT_NAMESPACE, selectorKey, ServerHost, stringRecord,
} from './names';
import { canMergeProtocols, isHttpServer, isPassthroughServer, isTlsServer, serverProtocol } from './protocols';
import { httpRoutes, RouteEntry, tcpRoutes } from './routes';
import { VirtualHostTable } from './virtual-hosts';

/**
 * Gateways as istiod builds them: a request through an ingress arrives at gateway *pods*; every
 * Gateway selecting those pods contributes its servers (`pilot/pkg/model/push_context.go`
 * `mergeGateways`, `pilot/pkg/model/gateway.go` `mergeGateways`), plain-HTTP servers on one port share
 * one route table whose virtual hosts merge the routes of every bound VirtualService, catch-alls last
 * (`pilot/pkg/networking/core/gateway.go` `buildGatewayHTTPRouteConfig`, `route.go` `SortVHostRoutes`).
 */

/** The pods a set of Gateways program: one workload template, or pods assumed from a selector. */
export interface GatewayWorkload {
  /** Stable identity, e.g. `istio-system/Deployment/istio-ingressgateway` or `selector:istio=ingressgateway`. */
  readonly key: string;
  /** Words for reviewers, e.g. `pods of Deployment istio-system/istio-ingressgateway`. */
  readonly description: string;
  /** Pod labels (what Gateway selectors and `sourceLabels` are compared with). */
  readonly labels: Record<string, string>;
  /** Pod namespace (what `exportTo` and `sourceNamespace` are compared with). */
  readonly namespace: string;
  /** True when no pod in the manifests matched and the workload is assumed from a selector. */
  readonly assumed: boolean;
}

/** One server of one Gateway as merged onto a workload port. */
export interface GatewayServer {
  /** The Gateway as `ns/name`. */
  readonly gateway: string;
  /** Index in the Gateway's `spec.servers`. */
  readonly serverIndex: number;
  readonly raw: any;
  readonly port: number;
  /** Upper-cased protocol. */
  readonly protocol: string;
  readonly hosts: ServerHost[];
  /** `httpsRedirect` on a plain-HTTP server. */
  readonly httpsRedirect: boolean;
}

/** A server istiod leaves out when merging, and why. */
export interface SkippedServer {
  readonly server: GatewayServer;
  readonly reason: string;
  /** The older server that holds the port or host, when one does. */
  readonly heldBy?: GatewayServer;
}

/** Everything listening on one port of a workload. */
export interface MergedPort {
  readonly port: number;
  /** Plain-text protocol of the listener, when a non-TLS server opened it. */
  plainProtocol?: string;
  /** Plain-HTTP servers sharing the route table `http.<port>`. */
  readonly httpServers: GatewayServer[];
  /** Servers with TLS (HTTPS termination, TLS termination or passthrough): one filter chain each, chosen by SNI. */
  readonly tlsServers: GatewayServer[];
  /** The plain TCP server (only the first one opens the listener). */
  tcpServer?: GatewayServer;
}

/** The servers of every Gateway that selects a workload, merged per port. */
export interface MergedGateway {
  readonly workload: GatewayWorkload;
  /** Gateways selecting the workload, in creation order. */
  readonly gateways: string[];
  readonly ports: Map<number, MergedPort>;
  readonly skipped: SkippedServer[];
}

/** A route in a gateway virtual host, with the Gateway whose server bound it. */
export interface GatewayRouteEntry extends RouteEntry {
  readonly gateway: string;
}

/** One Envoy virtual host of a gateway route table. */
export interface GatewayVirtualHost {
  /** The domain (intersection of a VirtualService host and a server host). */
  readonly domain: string;
  /** Routes in evaluation order (catch-alls moved last). */
  readonly routes: GatewayRouteEntry[];
  /** Some server for this host has `httpsRedirect`: plain HTTP gets 301. */
  readonly httpsRedirect: boolean;
  /** Gateways whose servers expose the domain. */
  readonly gateways: string[];
}

/** A remark about a route table, tied to the VirtualService it concerns. */
export interface TableNote {
  readonly vs: IndexedVirtualService;
  readonly text: string;
}

/** A gateway HTTP route table (`http.<port>`, or one HTTPS server's table). */
export interface GatewayRouteTable {
  readonly workload: GatewayWorkload;
  readonly port: number;
  readonly servers: GatewayServer[];
  readonly virtualHosts: GatewayVirtualHost[];
  /** Why VirtualServices or routes are missing from the table, per VirtualService. */
  readonly notes: TableNote[];
  /** Envoy virtual host lookup. */
  select(host: string): GatewayVirtualHost | undefined;
}

const topologies = new WeakMap<ManifestIndex, GatewayTopology>();

/**
 * The gateway side of the manifests: workloads, merged servers and route tables, each computed once
 * and cached, so repeated requests cost a lookup.
 */
export class GatewayTopology {
  /** The topology of an index (built once per index). */
  public static of(index: ManifestIndex): GatewayTopology {
    let t = topologies.get(index);
    if (!t) {
      t = new GatewayTopology(index);
      topologies.set(index, t);
    }
    return t;
  }

  private readonly selectorGroups = new Map<string, { selector: Record<string, string>; gateways: IndexedObject[] }>();
  private readonly order = new Map<IndexedObject, number>();
  private readonly merged = new Map<string, MergedGateway>();
  private readonly tables = new Map<string, GatewayRouteTable>();
  private workloadList?: GatewayWorkload[];

  private constructor(public readonly index: ManifestIndex) {
    index.gatewayList.forEach((gw, i) => {
      this.order.set(gw, i);
      const selector = stringRecord(gw.spec.selector);
      const key = selectorKey(selector);
      const group = this.selectorGroups.get(key) ?? { selector, gateways: [] };
      group.gateways.push(gw);
      this.selectorGroups.set(key, group);
    });
  }

  /**
   * The workloads a Gateway selects: workload templates in the manifests whose pod labels carry its
   * selector (any namespace), else one workload assumed from the selector.
   */
  public workloadsOf(gatewayRef: string): GatewayWorkload[] {
    const gw = this.index.gateway(gatewayRef);
    const selector = stringRecord(gw.spec.selector);
    const pods = Object.keys(selector).length > 0 ? this.index.podsSelectedAnywhere(selector) : [];
    if (pods.length === 0) {
      return [this.assumedWorkload(selector)];
    }
    // the Gateway's own namespace first: that is where a dedicated ingress usually runs
    return [...pods]
      .sort((a, b) => Number(b.namespace === gw.namespace) - Number(a.namespace === gw.namespace) || (a.owner < b.owner ? -1 : 1))
      .map((p) => ({
        key: `${p.namespace}/${p.owner}`,
        description: `pods of ${p.owner.replace('/', ' ')} ${p.namespace}/${p.owner.split('/')[1]}`,
        labels: p.labels,
        namespace: p.namespace,
        assumed: false,
      }));
  }

  /** A workload with explicit labels and namespace (a request that states the gateway pod's identity). */
  public explicitWorkload(labels: Record<string, string>, namespace: string): GatewayWorkload {
    return { key: `explicit:${namespace}:${selectorKey(labels)}`, description: `gateway pods labelled ${formatLabels(labels)} in namespace ${namespace}`, labels, namespace, assumed: true };
  }

  /**
   * Every gateway workload of the manifests, each once: the pods any Gateway selects, plus one
   * assumed workload per selector whose pods are not in the manifests. Sorted by key.
   */
  public workloads(): GatewayWorkload[] {
    if (!this.workloadList) {
      const byKey = new Map<string, GatewayWorkload>();
      for (const gw of this.index.gatewayList) {
        for (const w of this.workloadsOf(`${gw.namespace}/${gw.name}`)) {
          byKey.set(w.key, w);
        }
      }
      this.workloadList = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.workloadList;
  }

  private assumedWorkload(selector: Record<string, string>): GatewayWorkload {
    const group = this.selectorGroups.get(selectorKey(selector));
    const namespaces = new Set((group?.gateways ?? []).map((g) => g.namespace));
    // Gateways in several namespaces sharing a selector usually target the shared ingress in the root namespace
    const namespace = namespaces.size === 1 ? [...namespaces][0] : ROOT_NAMESPACE;
    const what = Object.keys(selector).length > 0 ? `labelled ${formatLabels(selector)}` : 'of every gateway (no selector)';
    return {
      key: `selector:${selectorKey(selector)}`,
      description: `gateway pods ${what} (not in the manifests; assumed in namespace ${namespace})`,
      labels: selector,
      namespace,
      assumed: true,
    };
  }

  /** Gateways selecting a workload, in creation order (a Gateway without selector selects every gateway workload). */
  public gatewaysSelecting(workload: GatewayWorkload): IndexedObject[] {
    const out: IndexedObject[] = [];
    for (const group of this.selectorGroups.values()) {
      if (labelsSubsetOf(group.selector, workload.labels)) {
        group.gateways.forEach((g) => out.push(g));
      }
    }
    return out.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  /**
   * Merges the servers of every Gateway selecting the workload per port, with istiod's rules: plain
   * HTTP servers share a port; a server whose protocol cannot join the listener already on its port is
   * skipped; a TLS server repeating a host already served with TLS on its port is skipped.
   */
  public merge(workload: GatewayWorkload): MergedGateway {
    const cached = this.merged.get(workload.key);
    if (cached) {
      return cached;
    }
    const gateways = this.gatewaysSelecting(workload);
    const ports = new Map<number, MergedPort>();
    const skipped: SkippedServer[] = [];
    const tlsHosts = new Map<number, Map<string, GatewayServer>>();
    for (const gw of gateways) {
      const ref = `${gw.namespace}/${gw.name}`;
      const servers: any[] = Array.isArray(gw.spec.servers) ? gw.spec.servers : [];
      servers.forEach((raw, serverIndex) => {
        if (!raw?.port || raw.port.number === undefined) {
          return;
        }
        const server = toServer(ref, gw.namespace, raw, serverIndex);
        if (raw.tls) {
          const known = tlsHosts.get(server.port) ?? new Map<string, GatewayServer>();
          tlsHosts.set(server.port, known);
          const texts = (Array.isArray(raw.hosts) ? raw.hosts : []).map((h: any) => sanitizedHost(parseServerHost(String(h), gw.namespace)));
          const dup = texts.filter((h: string) => known.has(h));
          if (dup.length > 0) {
            skipped.push({ server, heldBy: known.get(dup[0]), reason: `host ${dup.join(', ')} is already served with TLS on port ${server.port} by an older Gateway (duplicate host names)` });
            return;
          }
          texts.forEach((h: string) => known.set(h, server));
        }
        const existing = ports.get(server.port);
        if (!existing) {
          const mp: MergedPort = { port: server.port, httpServers: [], tlsServers: [] };
          addServer(mp, server);
          ports.set(server.port, mp);
          return;
        }
        if (existing.plainProtocol !== undefined && !canMergeProtocols(existing.plainProtocol, server.protocol)) {
          skipped.push({
            server,
            heldBy: existing.httpServers[0] ?? existing.tcpServer,
            reason: `port ${server.port} already has a ${existing.plainProtocol} server from an older Gateway, and a ${server.protocol} server cannot join it`,
          });
          return;
        }
        addServer(existing, server);
      });
    }
    const result = { workload, gateways: gateways.map((g) => `${g.namespace}/${g.name}`), ports, skipped };
    this.merged.set(workload.key, result);
    return result;
  }

  /**
   * The HTTP route table for plain-HTTP servers on a port (`http.<port>`), or for one HTTPS server.
   */
  public httpRouteTable(workload: GatewayWorkload, port: number, tlsServer?: GatewayServer): GatewayRouteTable {
    const key = `${workload.key}|${port}|${tlsServer ? `${tlsServer.gateway}#${tlsServer.serverIndex}` : 'http'}`;
    const cached = this.tables.get(key);
    if (cached) {
      return cached;
    }
    const mp = this.merge(workload).ports.get(port);
    const servers = tlsServer ? [tlsServer] : mp?.httpServers ?? [];
    const table = buildRouteTable(this.index, workload, port, servers);
    this.tables.set(key, table);
    return table;
  }

  /** Every HTTP route table of a port: the plain-HTTP one, then one per HTTPS server that terminates TLS. */
  public httpRouteTables(workload: GatewayWorkload, port: number): GatewayRouteTable[] {
    const mp = this.merge(workload).ports.get(port);
    const https = (mp?.tlsServers ?? []).filter((s) => isHttpServer(s.raw));
    return [this.httpRouteTable(workload, port), ...https.map((s) => this.httpRouteTable(workload, port, s))];
  }

  /**
   * The first TCP route a gateway TCP (or TLS-terminating) server uses: the first bound
   * VirtualService, in the gateway's order, with a tcp rule matching the server port and gateway
   * (`gateway.go` `buildGatewayNetworkFiltersFromTCPRoutes`).
   */
  public tcpRoute(workload: GatewayWorkload, server: GatewayServer, notes: string[]): GatewayRouteEntry | undefined {
    return this.tcpRoutes(workload, server, notes, true)[0];
  }

  /**
   * Every kept tcp rule bound to a gateway TCP server, in the gateway's order; the first decides
   * every connection (no runtime condition is left on gateway TCP routes).
   */
  public tcpRoutes(workload: GatewayWorkload, server: GatewayServer, notes: string[], firstOnly = false): GatewayRouteEntry[] {
    const proxy = { gatewayNames: new Set([server.gateway]), labels: workload.labels, namespace: workload.namespace, port: server.port };
    const out: GatewayRouteEntry[] = [];
    for (const vs of virtualServicesForGateway(this.index, workload.namespace, server.gateway)) {
      if (boundDomains(server, vs).length === 0) {
        continue;
      }
      for (const r of tcpRoutes(vs, proxy, notes)) {
        out.push(extend(r, { gateway: server.gateway }));
        if (firstOnly) {
          return out;
        }
      }
    }
    return out;
  }

  /**
   * A route table for a Gateway referenced by VirtualServices but absent from the manifests: its
   * pods, port and servers are unknown, so it is assumed to accept every bound host on any port.
   */
  public externalRouteTable(gatewayRef: string): GatewayRouteTable {
    const key = `external|${gatewayRef}`;
    const cached = this.tables.get(key);
    if (cached) {
      return cached;
    }
    const namespace = gatewayRef.split('/')[0];
    const workload: GatewayWorkload = {
      key: `external:${gatewayRef}`,
      description: `gateway ${gatewayRef} (not in the manifests; its servers are assumed to accept every bound host)`,
      labels: {},
      namespace,
      assumed: true,
    };
    const server: GatewayServer = { gateway: gatewayRef, serverIndex: 0, raw: {}, port: 0, protocol: 'HTTP', hosts: [{ namespace: '*', host: '*' }], httpsRedirect: false };
    const table = buildRouteTable(this.index, workload, 0, [server]);
    this.tables.set(key, table);
    return table;
  }
}

function toServer(gateway: string, namespace: string, raw: any, serverIndex: number): GatewayServer {
  return {
    gateway,
    serverIndex,
    raw,
    port: Number(raw.port.number),
    protocol: serverProtocol(raw),
    hosts: (Array.isArray(raw.hosts) ? raw.hosts : []).map((h: any) => parseServerHost(String(h), namespace)),
    httpsRedirect: !!raw.tls?.httpsRedirect && !isTlsServer(raw),
  };
}

/** `sanitizeServerHostNamespace` output as text: `*` namespaces dropped, others kept as `ns/host`. */
function sanitizedHost(h: ServerHost): string {
  return h.namespace === '*' ? h.host : `${h.namespace}/${h.host}`;
}

function addServer(mp: MergedPort, server: GatewayServer): void {
  if (isTlsServer(server.raw)) {
    mp.tlsServers.push(server);
    return;
  }
  if (mp.plainProtocol === undefined) {
    mp.plainProtocol = server.protocol;
  }
  if (isHttpServer(server.raw)) {
    mp.httpServers.push(server);
  } else if (!mp.tcpServer) {
    mp.tcpServer = server;
  }
}

/**
 * VirtualServices a gateway proxy in `proxyNamespace` gets for a Gateway, in istiod's order
 * (`push_context.go` `VirtualServicesForGateway`): those exported only to their own namespace (when
 * that is the proxy's), then those exported to the proxy's namespace by name, then public ones; each
 * group in creation order.
 */
export function virtualServicesForGateway(index: ManifestIndex, proxyNamespace: string, gateway: string): IndexedVirtualService[] {
  const privateList: IndexedVirtualService[] = [];
  const exported: IndexedVirtualService[] = [];
  const publicList: IndexedVirtualService[] = [];
  for (const vs of index.virtualServicesForGateway(gateway)) {
    const exportTo = vs.exportTo;
    if (!exportTo || exportTo.includes('*')) {
      publicList.push(vs);
    } else if (exportTo.includes('~')) {
      continue;
    } else if (vs.namespace === proxyNamespace && isExportedTo(exportTo, vs.namespace, proxyNamespace)) {
      privateList.push(vs);
    } else if (exportTo.includes(proxyNamespace)) {
      exported.push(vs);
    }
  }
  return [...privateList, ...exported, ...publicList];
}

/**
 * Domains where a VirtualService meets a server: the server hosts it may bind (`ns/` prefix equal to
 * its namespace, or any) intersected with its hosts (`host.NamesForNamespace`, `Names.Intersection`).
 */
export function boundDomains(server: GatewayServer, vs: IndexedVirtualService): string[] {
  const out: string[] = [];
  for (const sh of server.hosts) {
    if (sh.namespace !== '*' && sh.namespace !== vs.namespace) {
      continue;
    }
    for (const h of vs.hosts) {
      const d = hostIntersection(h, sh.host);
      if (d !== undefined && !out.includes(d)) {
        out.push(d);
      }
    }
  }
  return out;
}

function buildRouteTable(index: ManifestIndex, workload: GatewayWorkload, port: number, servers: GatewayServer[]): GatewayRouteTable {
  const notes: TableNote[] = [];
  const vhosts = new Map<string, { routes: GatewayRouteEntry[]; seen: Set<string>; httpsRedirect: boolean; gateways: Set<string> }>();
  const routeCache = new Map<string, GatewayRouteEntry[]>();
  const vsCache = new Map<string, IndexedVirtualService[]>();
  const vhostFor = (domain: string) => {
    let v = vhosts.get(domain);
    if (!v) {
      v = { routes: [], seen: new Set(), httpsRedirect: false, gateways: new Set() };
      vhosts.set(domain, v);
    }
    return v;
  };
  for (const server of servers) {
    let vss = vsCache.get(server.gateway);
    if (!vss) {
      vss = virtualServicesForGateway(index, workload.namespace, server.gateway);
      vsCache.set(server.gateway, vss);
      // a Set, not vss.includes: one gateway can bind thousands of VirtualServices
      const visible = new Set(vss);
      for (const vs of index.virtualServicesForGateway(server.gateway)) {
        if (!visible.has(vs)) {
          notes.push({ vs, text: `virtualservice ${vs.namespace}/${vs.name} is not exported to the gateway namespace ${workload.namespace}, so the gateway ignores it` });
        }
      }
    }
    for (const vs of vss) {
      const domains = boundDomains(server, vs);
      if (domains.length === 0) {
        continue;
      }
      const cacheKey = `${server.gateway}|${vs.order}`;
      let routes = routeCache.get(cacheKey);
      if (!routes) {
        const proxy = { gatewayNames: new Set([server.gateway]), labels: workload.labels, namespace: workload.namespace, port };
        const texts: string[] = [];
        routes = httpRoutes(vs, proxy, texts).map((r) => extend(r, { gateway: server.gateway }));
        routeCache.set(cacheKey, routes);
        texts.forEach((text) => notes.push({ vs, text }));
        if (routes.length === 0 && Array.isArray(vs.spec.http) && vs.spec.http.length > 0) {
          notes.push({ vs, text: `virtualservice ${vs.namespace}/${vs.name} has no routes on gateway ${server.gateway}: every match was dropped by port, gateways or sourceLabels/sourceNamespace (gateway pod labels ${formatLabels(workload.labels)})` });
        }
      }
      if (routes.length === 0) {
        continue;
      }
      for (const d of domains) {
        const v = vhostFor(d);
        v.gateways.add(server.gateway);
        v.httpsRedirect = v.httpsRedirect || server.httpsRedirect;
        for (const r of routes) {
          // the same VirtualService bound through two servers adds identical routes twice; the first decides
          const id = `${r.vs.order}|${r.ruleIndex}|${r.matchIndex ?? ''}`;
          if (!v.seen.has(id)) {
            v.seen.add(id);
            v.routes.push(r);
          }
        }
      }
    }
    // httpsRedirect answers even for hosts no VirtualService binds to
    if (server.httpsRedirect) {
      for (const sh of server.hosts) {
        const v = vhostFor(sanitizedHost(sh));
        v.httpsRedirect = true;
        v.gateways.add(server.gateway);
      }
    }
  }
  const lookup = new VirtualHostTable<GatewayVirtualHost>();
  const virtualHosts: GatewayVirtualHost[] = [];
  for (const domain of [...vhosts.keys()].sort()) {
    const v = vhosts.get(domain)!;
    const vhost: GatewayVirtualHost = {
      domain,
      routes: [...v.routes.filter((r) => !r.catchAll), ...v.routes.filter((r) => r.catchAll)],
      httpsRedirect: v.httpsRedirect,
      gateways: [...v.gateways],
    };
    virtualHosts.push(vhost);
    lookup.add(domain, vhost);
  }
  const seen = new Set<string>();
  const unique = notes.filter((n) => !seen.has(n.text) && seen.add(n.text) !== undefined);
  return { workload, port, servers, virtualHosts, notes: unique, select: (host: string) => lookup.select(host) };
}

/**
 * The filter chain a TLS request lands on: the server whose hosts name the SNI exactly, else the
 * longest wildcard covering it, else a `*` server (Envoy `server_names` matching).
 */
export function serverForSni(servers: GatewayServer[], sni: string): GatewayServer | undefined {
  let best: { server: GatewayServer; score: number } | undefined;
  for (const server of servers) {
    for (const sh of server.hosts) {
      const score = sh.host === sni ? Number.MAX_SAFE_INTEGER : sh.host === '*' ? 0 : sh.host.startsWith('*') && hostCovers(sh.host, sni) ? sh.host.length : -1;
      if (score >= 0 && (!best || score > best.score)) {
        best = { server, score };
      }
    }
  }
  return best?.server;
}

/** Whether a TLS server passes the connection through by SNI (not modelled beyond this). */
export function isPassthrough(server: GatewayServer): boolean {
  return isPassthroughServer(server.raw);
}

/** One VirtualService's claim of a domain on a gateway workload port. */
export interface GatewayHostClaim {
  readonly workload: GatewayWorkload;
  /** The server port; 0 for a Gateway outside the manifests (its ports are unknown). */
  readonly port: number;
  /** The Envoy virtual host domain. */
  readonly domain: string;
  readonly virtualService: IndexedVirtualService;
  /** Gateways through which it is bound. */
  readonly gateways: string[];
  /** Whether it contributes a catch-all route to the domain. */
  readonly catchAll: boolean;
  /**
   * The route table the virtual host belongs to (`http.<port>` of the workload, or one HTTPS
   * server's table): claims on one table and domain share a virtual host.
   */
  readonly table: string;
  /** The VirtualService's routes in that virtual host, in its own order. */
  readonly routes: GatewayRouteEntry[];
}

/**
 * Every claim of a domain by a VirtualService on every gateway workload and plain-HTTP port (and
 * HTTPS server), in table order: what later conflict checks compare. Claims with the same workload,
 * port and domain share one virtual host and merge; `overlappingClaims` pairs overlapping domains.
 */
export function gatewayHostClaims(index: ManifestIndex): GatewayHostClaim[] {
  const topology = GatewayTopology.of(index);
  const out: GatewayHostClaim[] = [];
  for (const workload of topology.workloads()) {
    const merged = topology.merge(workload);
    for (const mp of [...merged.ports.values()].sort((a, b) => a.port - b.port)) {
      topology.httpRouteTables(workload, mp.port).forEach((table, i) => {
        const key = `${workload.key}|${mp.port}|${i === 0 ? 'http' : `${table.servers[0].gateway}#${table.servers[0].serverIndex}`}`;
        out.push(...tableClaims(table, mp.port, key));
      });
    }
  }
  return out;
}

/**
 * The VirtualServices (raw manifests) that can take part in a claim conflict (docs/istio-semantics.md
 * §1.8), for a check that must stay linear in apps of thousands of releases: every one bound to a
 * Gateway among the manifests (servers are merged per workload, so anything may meet there), and on a Gateway the
 * manifests do not hold, those whose virtual host another one shares: the same host, or any host
 * when one of that Gateway's VirtualServices has a wildcard host (it may cover the others). A
 * VirtualService alone on its hosts of such a Gateway has a virtual host of its own and meets
 * nobody, so leaving it out changes no claim of the others.
 */
export function virtualServicesThatMayMeet(virtualServices: any[], gatewaysInManifests: Set<string>): any[] {
  const bound = virtualServices.map((vs) => {
    const namespace = String(vs.metadata?.namespace ?? 'default');
    const spec = vs.spec ?? {};
    const gateways = (Array.isArray(spec.gateways) ? spec.gateways : []).map((g: any) => resolveGatewayName(String(g), namespace))
      .filter((g: string) => g !== MESH_GATEWAY);
    const hosts: string[] = (Array.isArray(spec.hosts) ? spec.hosts : []).map((h: any) => resolveShortname(String(h), namespace));
    return { vs, gateways, hosts };
  });
  const perHost = new Map<string, number>();
  const wildcardGateways = new Set<string>();
  for (const { gateways, hosts } of bound) {
    for (const g of new Set<string>(gateways)) {
      for (const h of new Set(hosts)) {
        perHost.set(`${g}|${h}`, (perHost.get(`${g}|${h}`) ?? 0) + 1);
        if (h.startsWith('*')) {
          wildcardGateways.add(g);
        }
      }
    }
  }
  return bound.filter(({ gateways, hosts }) => gateways.some((g: string) => gatewaysInManifests.has(g) || wildcardGateways.has(g)
    || hosts.some((h) => perHost.get(`${g}|${h}`)! > 1))).map(({ vs }) => vs);
}

/**
 * Claims through Gateways that VirtualServices name but the manifests do not hold
 * (`GatewayTopology.externalRouteTable`): their pods, ports and servers are unknown, so the only
 * thing known to be shared is the Gateway itself. Each such Gateway is its own workload
 * (`external:<ns/name>`, port 0) and its VirtualServices meet on their own hosts.
 */
export function referencedGatewayClaims(index: ManifestIndex): GatewayHostClaim[] {
  const topology = GatewayTopology.of(index);
  const refs = new Set<string>();
  for (const vs of index.virtualServices) {
    vs.gateways.filter((g) => g !== MESH_GATEWAY && !index.gateways.has(g)).forEach((g) => refs.add(g));
  }
  return [...refs].sort().flatMap((ref) => tableClaims(topology.externalRouteTable(ref), 0, `external:${ref}|0|http`));
}

function tableClaims(table: GatewayRouteTable, port: number, key: string): GatewayHostClaim[] {
  const out: GatewayHostClaim[] = [];
  for (const vh of table.virtualHosts) {
    const byVs = new Map<IndexedVirtualService, GatewayRouteEntry[]>();
    for (const r of vh.routes) {
      const list = byVs.get(r.vs) ?? [];
      list.push(r);
      byVs.set(r.vs, list);
    }
    for (const [vs, routes] of byVs) {
      out.push({
        workload: table.workload,
        port,
        domain: vh.domain,
        virtualService: vs,
        gateways: [...new Set(routes.map((r) => r.gateway))],
        catchAll: routes.some((r) => r.catchAll),
        table: key,
        routes,
      });
    }
  }
  return out;
}

/**
 * Pairs of claims from different VirtualServices on the same workload and port whose domains
 * overlap (equal, or one wildcard covering the other). Equal domains merge into one virtual host;
 * for overlapping ones Envoy picks the most specific domain per request.
 */
export function overlappingClaims(claims: GatewayHostClaim[]): [GatewayHostClaim, GatewayHostClaim][] {
  const byDomain = new Map<string, GatewayHostClaim[]>();
  const position = new Map<GatewayHostClaim, number>();
  claims.forEach((c, i) => {
    pushTo(byDomain, `${c.workload.key}|${c.port}|${c.domain}`, c);
    position.set(c, i);
  });
  const pairs: [GatewayHostClaim, GatewayHostClaim][] = [];
  claims.forEach((c, i) => {
    const key = `${c.workload.key}|${c.port}`;
    const equal = (byDomain.get(`${key}|${c.domain}`) ?? []).filter((o) => position.get(o)! < i);
    const wider = coveringWildcards(c.domain).flatMap((d) => byDomain.get(`${key}|${d}`) ?? []);
    for (const other of [...equal, ...wider]) {
      if (other.virtualService !== c.virtualService) {
        pairs.push(position.get(other)! < i ? [other, c] : [c, other]);
      }
    }
  });
  return pairs.sort((x, y) => position.get(x[1])! - position.get(y[1])! || position.get(x[0])! - position.get(y[0])!);
}

/**
 * The wildcard domains that cover a domain, most specific first: `a.b.com` -> `*.b.com`, `*.com`,
 * `*`; `*.b.com` -> `*.com`, `*` (`hostCovers`). A map lookup each, so comparing every claim with
 * the wildcards above it is linear in the claims.
 */
export function coveringWildcards(domain: string): string[] {
  if (domain === '*') {
    return [];
  }
  const labels = (domain.startsWith('*.') ? domain.slice(2) : domain).split('.');
  const out: string[] = [];
  for (let i = 1; i < labels.length; i++) {
    out.push(`*.${labels.slice(i).join('.')}`);
  }
  out.push('*');
  return out;
}

/** Why two gateway host claims cannot both get the requests they declare. */
export enum ClaimConflictKind {
  /**
   * Both VirtualServices have a catch-all in one virtual host: catch-alls move last, in creation
   * order, so the older one takes every request the specific routes leave and the other never matches.
   */
  BOTH_CATCH_ALL = 'both-catch-all',
  /**
   * A non-catch-all route of each can match the same request: routes of different VirtualServices
   * keep creation order in the virtual host, so which one wins depends on creation time.
   */
  OVERLAPPING_ROUTES = 'overlapping-routes',
  /**
   * The domains differ but one covers the other (`*` and `shop.example.com`): Envoy sends each request
   * to the most specific virtual host and never merges them, so the wider claim loses the narrower host.
   */
  COVERED_HOST = 'covered-host',
  /**
   * The domains overlap on one port but belong to different HTTPS servers: the TLS server name (SNI)
   * picks one server's routes per connection, so one claim loses the overlap.
   */
  SEPARATE_SERVERS = 'separate-servers',
}

/** Two claims on one gateway workload and port that cannot both get their requests. */
export interface ClaimConflict {
  readonly kind: ClaimConflictKind;
  readonly first: GatewayHostClaim;
  readonly second: GatewayHostClaim;
  /** For route conflicts: the route of each claim that can take the same requests. */
  readonly routes?: readonly [GatewayRouteEntry, GatewayRouteEntry];
}

/**
 * Claims that cannot share a gateway workload and port whatever the creation order of their
 * VirtualServices, so that routing never depends on it (docs/istio-semantics.md §1.8):
 *
 * - on one virtual host (same route table and domain, where istiod concatenates the bound
 *   VirtualServices' routes in creation order and moves catch-alls last, `gateway.go`
 *   `buildGatewayHTTPRouteConfig`, `route.go` `SortVHostRoutes`), at most one VirtualService may have
 *   catch-alls and no two non-catch-all routes of different VirtualServices may match one request
 *   (`matchesMayOverlap`); a route that takes part of another's catch-all is fine, it always comes first;
 * - domains that differ but overlap never share: Envoy's most specific virtual host (or HTTPS server)
 *   takes every request for the narrower domain.
 *
 * Linear in the claims and their routes: domains are compared through map lookups of the wildcards
 * covering them, and routes of one virtual host are bucketed by the first path segment they need;
 * only routes open to any first segment (no path, a regex, a prefix shorter than a segment) are
 * compared with every other route of the virtual host.
 */
export function claimConflicts(claims: GatewayHostClaim[]): ClaimConflict[] {
  const out: ClaimConflict[] = [];
  const vhosts = new Map<string, GatewayHostClaim[]>();
  const domains = new Map<string, Map<string, GatewayHostClaim[]>>();
  for (const c of claims) {
    pushTo(vhosts, `${c.table}|${c.domain}`, c);
    const key = `${c.workload.key}|${c.port}|${c.domain}`;
    const byTable = domains.get(key) ?? new Map<string, GatewayHostClaim[]>();
    domains.set(key, byTable);
    pushTo(byTable, c.table, c);
  }
  for (const group of vhosts.values()) {
    out.push(...virtualHostConflicts(group));
  }
  for (const [key, byTable] of domains) {
    const tables = [...byTable.values()];
    // one domain in several HTTPS servers of a port
    for (let i = 1; i < tables.length; i++) {
      out.push(...crossConflicts(ClaimConflictKind.SEPARATE_SERVERS, tables[0], tables[i]));
    }
    const [workloadKey, port, domain] = splitDomainKey(key);
    for (const wildcard of coveringWildcards(domain)) {
      const covering = domains.get(`${workloadKey}|${port}|${wildcard}`);
      if (!covering) {
        continue;
      }
      for (const [table, wide] of covering) {
        for (const narrow of tables) {
          const kind = narrow[0].table === table ? ClaimConflictKind.COVERED_HOST : ClaimConflictKind.SEPARATE_SERVERS;
          out.push(...crossConflicts(kind, wide, narrow));
        }
      }
    }
  }
  return out;
}

function splitDomainKey(key: string): [string, string, string] {
  const last = key.lastIndexOf('|');
  const middle = key.lastIndexOf('|', last - 1);
  return [key.slice(0, middle), key.slice(middle + 1, last), key.slice(last + 1)];
}

/** Every claim of each side paired with the first of the other: each claim is named, linearly. */
function crossConflicts(kind: ClaimConflictKind, wide: GatewayHostClaim[], narrow: GatewayHostClaim[]): ClaimConflict[] {
  const out: ClaimConflict[] = [];
  const seen = new Set<string>();
  const add = (first: GatewayHostClaim, second: GatewayHostClaim) => {
    const id = `${first.virtualService.order}|${second.virtualService.order}`;
    if (first.virtualService !== second.virtualService && !seen.has(id)) {
      seen.add(id);
      out.push({ kind, first, second });
    }
  };
  narrow.forEach((n) => add(wide[0], n));
  wide.slice(1).forEach((w) => add(w, narrow[0]));
  return out;
}

/** Conflicts among the VirtualServices of one merged virtual host. */
function virtualHostConflicts(group: GatewayHostClaim[]): ClaimConflict[] {
  if (group.length < 2) {
    return [];
  }
  const out: ClaimConflict[] = [];
  const claimOf = new Map<IndexedVirtualService, GatewayHostClaim>(group.map((c) => [c.virtualService, c]));
  const reported = new Set<string>();
  const catchAlls = group.filter((c) => c.catchAll);
  for (const later of catchAlls.slice(1)) {
    const first = catchAlls[0];
    reported.add(`${Math.min(first.virtualService.order, later.virtualService.order)}|${Math.max(first.virtualService.order, later.virtualService.order)}`);
    const routes = [first.routes.find((r) => r.catchAll)!, later.routes.find((r) => r.catchAll)!] as const;
    out.push({ kind: ClaimConflictKind.BOTH_CATCH_ALL, first, second: later, routes });
  }
  const buckets = new Map<string, GatewayRouteEntry[]>();
  const open: GatewayRouteEntry[] = [];
  for (const c of group) {
    for (const r of c.routes) {
      if (r.catchAll) {
        continue;
      }
      const segment = firstSegment(r.match);
      if (segment === undefined) {
        open.push(r);
      } else {
        pushTo(buckets, segment, r);
      }
    }
  }
  const compare = (a: GatewayRouteEntry, b: GatewayRouteEntry) => {
    if (a.vs === b.vs) {
      return;
    }
    const [x, y] = a.vs.order <= b.vs.order ? [a, b] : [b, a];
    const id = `${x.vs.order}|${y.vs.order}`;
    if (!reported.has(id) && matchesMayOverlap(x.match, y.match)) {
      reported.add(id);
      out.push({ kind: ClaimConflictKind.OVERLAPPING_ROUTES, first: claimOf.get(x.vs)!, second: claimOf.get(y.vs)!, routes: [x, y] });
    }
  };
  const all = [...open, ...[...buckets.values()].flat()];
  open.forEach((a) => all.forEach((b) => compare(a, b)));
  for (const bucket of buckets.values()) {
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        compare(bucket[i], bucket[j]);
      }
    }
  }
  return out;
}

/**
 * The first path segment every request of a match has (`/api` for exact `/api`, prefix `/api/` or
 * `/api/v1`), or undefined when the match is open to any first segment: no path, a regex, a prefix
 * that ends inside the first segment (`/ap`), or a case-insensitive path.
 */
function firstSegment(match: any): string | undefined {
  const uri = match?.uri;
  if (!uri || match.ignoreUriCase) {
    return undefined;
  }
  if (uri.exact !== undefined && uri.exact !== null) {
    const text = String(uri.exact);
    const end = text.indexOf('/', 1);
    return end < 0 ? text : text.slice(0, end);
  }
  if (uri.prefix !== undefined && uri.prefix !== null) {
    const text = String(uri.prefix);
    const end = text.indexOf('/', 1);
    return end < 0 ? undefined : text.slice(0, end);
  }
  return undefined;
}

