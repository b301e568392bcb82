/**
 * Protocols as istiod classifies them: Service ports (protocol selection) and Gateway servers
 * (which servers share a listener and route table).
 */

/** How Istio treats a Service port (`pkg/config/kube/conversion.go` `ConvertProtocol`). */
export enum PortProtocol {
  HTTP = 'HTTP',
  TCP = 'TCP',
  /** TLS/HTTPS: routed by SNI (`tls` rules), which is not modelled. */
  TLS = 'TLS',
  /** No declared protocol: Envoy sniffs HTTP, otherwise TCP. */
  SNIFFED = 'SNIFFED',
}

/** Whether sidecars build HTTP routes for the port (`Instance.IsHTTPOrSniffed`). */
export function isHttpOrSniffed(p: PortProtocol): boolean {
  return p === PortProtocol.HTTP || p === PortProtocol.SNIFFED;
}

/** `pkg/config/protocol/instance.go` `Parse` (case-insensitive; `hbone` is not among them). */
function fromName(value: string): PortProtocol | undefined {
  const p = value.toLowerCase();
  if (['http', 'http2', 'http_proxy', 'grpc', 'grpc-web'].includes(p)) {
    return PortProtocol.HTTP;
  }
  if (['https', 'tls'].includes(p)) {
    return PortProtocol.TLS;
  }
  // mysql/redis/mongo filters are off by default, so these ports are plain TCP
  if (['tcp', 'mysql', 'mongo', 'redis', 'udp'].includes(p)) {
    return PortProtocol.TCP;
  }
  return undefined;
}

/** The Kubernetes standard `appProtocol` values istiod understands (never valid port names). */
const KUBERNETES_APP_PROTOCOLS: Record<string, PortProtocol> = {
  'kubernetes.io/h2c': PortProtocol.HTTP,
  'kubernetes.io/ws': PortProtocol.HTTP,
  'kubernetes.io/wss': PortProtocol.TLS,
};

/**
 * Classifies a Service port as `pkg/config/kube/conversion.go` `ConvertProtocol` does: a set
 * `appProtocol` is read alone (the name is then ignored), else the name; either is read as
 * `<protocol>[-suffix]`; server-first protocols on well-known ports are never sniffed.
 */
export function classifyPort(port: number, name?: string, appProtocol?: string): PortProtocol {
  const declared = appProtocol !== undefined && appProtocol !== null ? String(appProtocol) : name;
  if (declared) {
    const standard = appProtocol !== undefined && appProtocol !== null ? KUBERNETES_APP_PROTOCOLS[declared] : undefined;
    if (standard) {
      return standard;
    }
    const prefix = declared.toLowerCase().startsWith('grpc-web') ? 'grpc-web' : declared.split('-')[0];
    const p = fromName(prefix);
    if (p) {
      return p;
    }
  }
  if ([25, 53, 3306, 27017].includes(port)) {
    return PortProtocol.TCP;
  }
  return PortProtocol.SNIFFED;
}

const HTTP_SERVER_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY']);
const PASSTHROUGH_MODES = new Set(['PASSTHROUGH', 'AUTO_PASSTHROUGH']);

/** Upper-cased Gateway server protocol. */
export function serverProtocol(server: any): string {
  return String(server?.port?.protocol ?? 'HTTP').toUpperCase();
}

/** `protocol.Instance.IsHTTP`: plain-text HTTP family. */
export function isHttpProtocol(protocol: string): boolean {
  return HTTP_SERVER_PROTOCOLS.has(protocol);
}

/** Whether the server passes TLS through by SNI (`pkg/config/gateway` `IsPassThroughServer`). */
export function isPassthroughServer(server: any): boolean {
  return !!server?.tls && PASSTHROUGH_MODES.has(String(server.tls.mode ?? '').toUpperCase());
}

/** A server with TLS that is not plain HTTP (`IsTLSServer`: an HTTP server with only `httpsRedirect` is not). */
export function isTlsServer(server: any): boolean {
  return !!server?.tls && !isHttpProtocol(serverProtocol(server));
}

/** A server whose requests are routed by VirtualService `http` rules (`IsHTTPServer`). */
export function isHttpServer(server: any): boolean {
  const p = serverProtocol(server);
  return isHttpProtocol(p) || (p === 'HTTPS' && !isPassthroughServer(server));
}

/**
 * Whether a server of protocol `next` can join a plain-text listener of protocol `current` on the
 * same port (`pilot/pkg/model/gateway.go` `canMergeProtocols`): only HTTP joins HTTP.
 */
export function canMergeProtocols(current: string, next: string): boolean {
  return (isHttpProtocol(current) || current === next) && isHttpProtocol(next);
}
