import { RequestProtocol, SimulatedRequest } from './types';
import { httpRequestView, HttpRequestView } from '../semantics/request';

/**
 * A simulated request, validated, with defaults applied and in the shapes Envoy matches on.
 */
export interface NormalizedRequest extends HttpRequestView {
  readonly protocol: RequestProtocol;
}

/**
 * Validates a simulated request and applies defaults: port 80 for HTTP, path `/`, method GET; the
 * HTTP/1.1 `Host` header is Envoy's `:authority`, so it never exists as a plain header.
 */
export function normalizeRequest(req: SimulatedRequest): NormalizedRequest {
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    headers.set(k.toLowerCase(), String(v));
  }
  const hostHeader = headers.get('host') ?? headers.get(':authority');
  headers.delete('host');
  headers.delete(':authority');
  const authority = req.host ?? hostHeader;
  if (!authority) {
    throw new Error('request host is empty: give the Host/authority (or the service name for tcp), e.g. \'reviews\' or \'shop.example.com\'');
  }
  const protocol = req.protocol ?? RequestProtocol.HTTP;
  if (protocol !== RequestProtocol.HTTP && protocol !== RequestProtocol.TCP) {
    throw new Error(`request protocol '${protocol}' is not supported: use HTTP or TCP`);
  }
  if (req.port !== undefined && (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535)) {
    throw new Error(`request port ${req.port} is invalid: use an integer in 1-65535`);
  }
  const path = req.path ?? '/';
  if (!path.startsWith('/')) {
    throw new Error(`request path '${path}' must start with '/'`);
  }
  const view = httpRequestView({
    authority,
    port: req.port ?? (protocol === RequestProtocol.HTTP ? 80 : undefined),
    path,
    method: req.method,
    scheme: req.scheme,
    headers,
  });
  return { ...view, protocol };
}
