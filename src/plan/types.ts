/**
 * Where a route table applies: at a Gateway (Istio or Gateway API) or in the mesh (sidecars, and
 * waypoints for Gateway API mesh routes).
 */
export enum PlanEntryKind {
  /** Requests entering through an Istio Gateway. */
  GATEWAY = 'GATEWAY',
  /** Requests sent by pods in the mesh (sidecars). */
  MESH = 'MESH',
}

/**
 * Which protocol a route table is for.
 */
export enum PlanProtocol {
  /** VirtualService `http` rules (HTTP, HTTP/2, gRPC). */
  HTTP = 'HTTP',
  /** VirtualService `tcp` rules. */
  TCP = 'TCP',
}

/**
 * One place a rule sends requests (or mirrors them) to.
 */
export interface PlanDestination {
  /** Fully qualified host, e.g. `reviews.shop.svc.cluster.local`. */
  readonly host: string;

  /**
   * DestinationRule subset (the version).
   *
   * @default - no subset: all endpoints of the service
   */
  readonly subset?: string;

  /**
   * The version a Gateway API backend serves: set when the backend is a version Service
   * `<service>-<version>` selecting part of `<service>`'s pods (Gateway API has no subsets).
   *
   * @default - not a version Service
   */
  readonly version?: string;

  /**
   * Destination port.
   *
   * @default - not given in the VirtualService
   */
  readonly port?: number;

  /** Share of the rule's requests, 0–100 (for mirrors: the mirror percentage). */
  readonly percentage: number;
}

/**
 * One VirtualService rule as it applies at one entry point, in evaluation order.
 */
export interface PlanRule {
  /** 1-based position in the evaluation order of its route table. */
  readonly position: number;

  /**
   * Kind of the object holding the rule: `VirtualService`, `HTTPRoute`, `GRPCRoute` or `TCPRoute`.
   * @default 'VirtualService'
   */
  readonly resourceKind?: string;

  /** The VirtualService (or Gateway API route, see `resourceKind`) that holds the rule, as `namespace/name`. */
  readonly virtualService: string;

  /** Index of the rule in the VirtualService's `http` or `tcp` list (a route's `rules`). */
  readonly ruleIndex: number;

  /** The condition in words, e.g. `cookie x-version=v2` or `any request`. */
  readonly match: string;

  /**
   * What the rule changes before forwarding, in words, e.g. `rewritten to /`.
   *
   * @default - nothing is rewritten
   */
  readonly rewrite?: string;

  /** Where matching requests go, in words, e.g. `blue 75%, green 25%` or `redirect 301 to https://…`. */
  readonly action: string;

  /** Forwarding destinations with their share; empty for redirects and direct responses. */
  readonly destinations: PlanDestination[];

  /** Mirror destinations with their percentage. */
  readonly mirrors: PlanDestination[];

  /**
   * Position of an earlier rule that already matches every request this rule would see, so this
   * one never decides (e.g. a second release's catch-all on a shared gateway host).
   *
   * @default - the rule can decide requests
   */
  readonly shadowedBy?: number;
}

/**
 * The rules one entry point evaluates for a set of hosts.
 */
export interface PlanRouteTable {
  /** The service this table is filed under: the single destination service, else the hosts. */
  readonly service: string;

  /** Gateway or mesh. */
  readonly entryKind: PlanEntryKind;

  /**
   * The Gateway as `namespace/name`.
   *
   * @default - a mesh route table
   */
  readonly gateway?: string;

  /**
   * Every Gateway whose servers expose these hosts on this table's pods and port. Gateways that
   * select the same pods share one route table per port, so several appear when they merge.
   *
   * @default - a mesh route table
   */
  readonly gateways?: string[];

  /**
   * The gateway pods the table is programmed into, in words (e.g. `gateway pods labelled
   * istio=ingressgateway (not in the manifests; assumed in namespace istio-system)`).
   *
   * @default - a mesh route table
   */
  readonly gatewayWorkload?: string;

  /**
   * The gateway server port of the table.
   *
   * @default - a mesh route table, or a Gateway outside the manifests (port unknown)
   */
  readonly port?: number;

  /** HTTP or TCP rules. */
  readonly protocol: PlanProtocol;

  /** The hosts these rules answer for (VirtualService hosts, short names expanded). */
  readonly hosts: string[];

  /** Rules in the order Istio evaluates them; the first match wins. */
  readonly rules: PlanRule[];

  /** Rules that never apply at this entry point, and why. */
  readonly notes: string[];

  /**
   * What an HTTP request that no rule matches gets, in words, e.g. `404 (no route)`.
   *
   * @default - a rule matches every request (or a TCP table)
   */
  readonly unmatched?: string;
}
