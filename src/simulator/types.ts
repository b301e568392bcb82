/**
 * The protocol a simulated request speaks.
 */
export enum RequestProtocol {
  /** HTTP/1.1, HTTP/2 or gRPC: evaluated against VirtualService `http` rules. */
  HTTP = 'HTTP',
  /** Opaque TCP: evaluated against VirtualService `tcp` rules. */
  TCP = 'TCP',
}

/**
 * What the mesh does with a simulated request.
 */
export enum RouteOutcome {
  /** A VirtualService rule forwarded the request to one or more destinations. */
  ROUTED = 'ROUTED',
  /** No VirtualService applies; the request goes to all endpoints of the Service (no subset). */
  DEFAULT_ROUTE = 'DEFAULT_ROUTE',
  /** A VirtualService rule answered with an HTTP redirect. */
  REDIRECT = 'REDIRECT',
  /** A VirtualService rule answered directly with a fixed status (and body). */
  DIRECT_RESPONSE = 'DIRECT_RESPONSE',
  /** Envoy has no route for the request: 404 `NR`. */
  NO_ROUTE = 'NO_ROUTE',
  /** The chosen cluster does not exist or has no endpoints: 503 `NC` / `UH`. */
  NO_HEALTHY_UPSTREAM = 'NO_HEALTHY_UPSTREAM',
  /**
   * A Gateway API backend that does not resolve (missing Service or port, cross-namespace without
   * ReferenceGrant, unsupported kind): istiod answers 500 for its share.
   */
  INVALID_BACKEND = 'INVALID_BACKEND',
  /** The host is unknown to the mesh and a sidecar forwards it unchanged (`PassthroughCluster`, ALLOW_ANY). */
  PASSTHROUGH = 'PASSTHROUGH',
  /** The gateway proxy has no server (listener) on the requested port: the connection is refused. */
  NO_LISTENER = 'NO_LISTENER',
  /** The request hits configuration the simulator does not model (see `reason`). */
  UNSUPPORTED = 'UNSUPPORTED',
  /**
   * An AuthorizationPolicy of the called pods denies the request: 403 `RBAC: access denied` for
   * HTTP, a closed connection for TCP (see `deniedBy`).
   */
  FORBIDDEN = 'FORBIDDEN',
}

/**
 * Which list of a VirtualService a deciding rule belongs to.
 */
export enum RuleKind {
  /** A rule of `spec.http`. */
  HTTP = 'http',
  /** A rule of `spec.tcp`. */
  TCP = 'tcp',
}

/**
 * A request to simulate.
 *
 * The request either enters through a gateway (`gateway` set) or comes from a pod in the mesh
 * (`sourceNamespace` / `sourceLabels`).
 */
export interface SimulatedRequest {
  /**
   * The Istio Gateway the request enters through, as `namespace/name`, or a Gateway API Gateway of
   * class `istio` (when no Istio Gateway has that name).
   *
   * The gateway proxy's labels are taken from a workload in the manifests that the Gateway's
   * selector picks, else from the selector itself; `sourceLabels` / `sourceNamespace` override them.
   *
   * @default - the request comes from a sidecar in the mesh
   */
  readonly gateway?: string;

  /**
   * Namespace of the calling pod (or of the gateway pod when `gateway` is set).
   *
   * @default - `default` for mesh requests; the gateway workload's namespace (else the Gateway's namespace) for gateway requests
   */
  readonly sourceNamespace?: string;

  /**
   * Labels of the calling pod (or of the gateway pod when `gateway` is set).
   *
   * @default - no labels for mesh requests; the gateway workload's labels (else the Gateway selector) for gateway requests
   */
  readonly sourceLabels?: Record<string, string>;

  /**
   * Service account of the calling pod (or of the gateway pod when `gateway` is set). With the
   * namespace it is the caller's mesh identity, `cluster.local/ns/<namespace>/sa/<service account>`,
   * which AuthorizationPolicies of the called pods check.
   *
   * @default - the service account of the workload in the manifests whose pods carry `sourceLabels` in the source namespace, else `default`; for gateway requests the gateway workload's, else `istio-ingressgateway-service-account` in `istio-system` for the default ingress gateway selector
   */
  readonly sourceServiceAccount?: string;

  /**
   * The Host / `:authority` of an HTTP request, or the service host name of a TCP connection.
   * May carry a `:port`, which is ignored for host lookup but kept for `authority` matches.
   */
  readonly host: string;

  /**
   * Destination port (sidecar) or gateway server port.
   *
   * @default - 80 for HTTP; the Service's only port for TCP
   */
  readonly port?: number;

  /**
   * Request path, optionally with `?query`.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * HTTP method.
   *
   * @default 'GET'
   */
  readonly method?: string;

  /**
   * Request headers; names are case-insensitive. Give repeated headers joined with `,`
   * (cookies with `; `).
   *
   * @default - no headers
   */
  readonly headers?: Record<string, string>;

  /**
   * Protocol of the request.
   *
   * @default RequestProtocol.HTTP
   */
  readonly protocol?: RequestProtocol;

  /**
   * The `:scheme` of the request (`http` or `https`).
   *
   * @default - `https` on a gateway HTTPS server, otherwise `http`
   */
  readonly scheme?: string;
}

/**
 * One place a request (or its mirror) is sent to.
 */
export interface RouteDestination {
  /** Fully qualified destination host, e.g. `reviews.default.svc.cluster.local`. */
  readonly host: string;

  /**
   * DestinationRule subset.
   *
   * @default - no subset: all endpoints of the service
   */
  readonly subset?: string;

  /**
   * Destination (cluster) port.
   *
   * @default - unknown: the host is not a Service in the manifests
   */
  readonly port?: number;

  /**
   * Share of requests sent here, 0–100. For route destinations the shares sum to 100; for mirrors
   * it is the mirror percentage.
   */
  readonly percentage: number;

  /** Whether this destination can serve traffic (cluster exists and has endpoints). */
  readonly healthy: boolean;

  /**
   * Why the destination cannot serve traffic (503 `NC` or `UH`).
   *
   * @default - no problem
   */
  readonly problem?: string;
}

/**
 * The VirtualService or Gateway API route rule that decided a request.
 */
export interface DecidingRule {
  /**
   * Kind of the object holding the rule: `VirtualService`, `HTTPRoute`, `GRPCRoute` or `TCPRoute`.
   *
   * @default 'VirtualService'
   */
  readonly resourceKind?: string;

  /** Namespace of the VirtualService or route. */
  readonly namespace: string;

  /** Name of the VirtualService or route. */
  readonly name: string;

  /** Whether the rule is in `spec.http` or `spec.tcp` (Gateway API: HTTP for HTTPRoute and GRPCRoute, TCP for TCPRoute). */
  readonly kind: RuleKind;

  /** Index of the rule in its list (`spec.http`, `spec.tcp` or `spec.rules`). */
  readonly ruleIndex: number;

  /**
   * Index of the match entry that matched (`match` or `matches`).
   *
   * @default - the rule has no `match` list
   */
  readonly matchIndex?: number;
}

/**
 * Where the mesh sends a simulated request.
 */
export interface RouteResult {
  /** What happened. */
  readonly outcome: RouteOutcome;

  /**
   * The HTTP status the mesh produces: 200 means the request reaches an upstream (which decides
   * the final status); 301–308 redirect; 404 no route; 503 no healthy upstream; the configured
   * status for direct responses; 0 when no HTTP response is involved (TCP, refused connection).
   */
  readonly statusCode: number;

  /** Destinations with their share of traffic; empty unless the request is forwarded. */
  readonly destinations: RouteDestination[];

  /** Mirror destinations with their mirror percentage. */
  readonly mirrors: RouteDestination[];

  /**
   * Path (with query) sent upstream, after rewrites.
   *
   * @default - not forwarded, or not HTTP
   */
  readonly path?: string;

  /**
   * Authority sent upstream, after rewrites.
   *
   * @default - not forwarded, or not HTTP
   */
  readonly authority?: string;

  /**
   * Request headers sent upstream, when a Gateway API `RequestHeaderModifier` changed them
   * (lower-cased names).
   *
   * @default - headers are forwarded as received
   */
  readonly requestHeaders?: Record<string, string>;

  /**
   * `Location` of a redirect.
   *
   * @default - not a redirect
   */
  readonly redirectLocation?: string;

  /**
   * Body of a direct response.
   *
   * @default - not a direct response, or no body
   */
  readonly body?: string;

  /**
   * The VirtualService rule that decided the request.
   *
   * @default - no rule decided (default routing, no route, passthrough)
   */
  readonly rule?: DecidingRule;

  /**
   * The AuthorizationPolicies (`namespace/name`) that denied the request: the matching DENY policy,
   * or every ALLOW policy of the called pods when none of them matched.
   *
   * @default - not denied
   */
  readonly deniedBy?: string[];

  /**
   * Human-readable explanation; always set unless the outcome is `ROUTED`.
   *
   * @default - routed normally
   */
  readonly reason?: string;

  /** Assumptions and caveats the simulator made for this request. */
  readonly notes: string[];
}
