/**
 * The release model: what a user declared about a service, its versions and who reaches which
 * version, in terms independent of any output format. Emitters (Istio objects today, Flagger or
 * Gateway API routes tomorrow) read it; constructs write it.
 */

export interface PortModel {
  readonly port: number;
  readonly targetPort: number;
  readonly name: string;
  readonly protocol: string;
  /** Whether Istio routes this port with `http` rules (otherwise `tcp`). */
  readonly http: boolean;
}

export interface VersionModel {
  readonly name: string;
  /** Kept in the DestinationRule, never routed to. */
  readonly retired: boolean;
  /** Labels selecting this version's pods (app and version label). */
  readonly podLabels: Record<string, string>;
}

/**
 * Where a release is mounted on its gateway hosts: requests whose path is `prefix` or lies under it
 * (whole segments) reach it, and `rewrite` replaces `prefix` before the service sees the path.
 */
export interface MountModel {
  /** Without a trailing slash, never `/`. */
  readonly prefix: string;
  /** Without a trailing slash unless it is `/`; undefined keeps the path. */
  readonly rewrite?: string;
}

export interface ServiceModel {
  /** Construct path of the release, for error messages. */
  readonly path: string;
  readonly name: string;
  readonly namespace: string;
  readonly fqdn: string;
  readonly appLabel: string;
  readonly versionLabel: string;
  readonly ports: PortModel[];
  readonly versions: VersionModel[];
  /** External hosts served through the gateway (empty: mesh only). */
  readonly externalHosts: string[];
  /** Preview host per version name. */
  readonly previewHosts: Record<string, string>;
  /** The gateway as `namespace/name`, when there are external hosts. */
  readonly gateway?: string;
  /** Whether in-mesh callers are routed by the release (a VirtualService for the service host). */
  readonly meshRouting: boolean;
  /** The path prefix the release is mounted under on its gateway hosts; undefined takes every path. */
  readonly mount?: MountModel;
}

/** Where a request enters: in-mesh sidecars, the gateway on the main hosts, or a version's preview host. */
export type EntryPoint = 'mesh' | 'ingress';

export interface HeaderCondition {
  readonly name: string;
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** One match entry: all conditions must hold (AND). */
export interface HttpMatchModel {
  readonly uriExact?: string;
  readonly uriPrefix?: string;
  readonly uriRegex?: string;
  /**
   * Set on both halves of a segment-aware prefix (`<prefix>/` and exactly `<prefix>`, see
   * `prefixRules`): outputs whose prefixes already match by whole segments (Gateway API) write one
   * prefix instead.
   */
  readonly segmentPrefix?: string;
  readonly headers?: HeaderCondition[];
  /** Caller pod labels (a proxy-level selector, meaningful on the mesh only). */
  readonly sourceLabels?: Record<string, string>;
}

export interface WeightedDestination {
  /** The version to reach; undefined reaches every pod of the service. */
  readonly version?: string;
  /** Relative weight, 0-100. */
  readonly weight: number;
  /** Response headers appended when this destination is chosen (e.g. a sticky cookie). */
  readonly responseHeadersToAdd?: Record<string, string>;
}

export interface HttpRouteModel {
  /** Construct path of the construct that declared the route, for error messages. */
  readonly owner: string;
  /** What the route is for, in words (`cookie x-version=v2 -> v2`). */
  readonly description: string;
  readonly entryPoints: EntryPoint[];
  /**
   * Explicit opt-ins (force routes, cookie routes) outrank remembered choices (sticky cookies), which
   * outrank everything else; within one priority more specific matches come first.
   * @default 0
   */
  readonly priority?: number;
  /** Match entries (OR); empty for a catch-all. */
  readonly matches: HttpMatchModel[];
  readonly destinations: WeightedDestination[];
  /** Replaces the matched uri prefix (or whole path for exact/regex matches). */
  readonly rewriteUri?: string;
  readonly mirror?: { readonly version: string; readonly percent: number };
}

export interface TcpRouteModel {
  readonly owner: string;
  readonly description: string;
  readonly port: number;
  readonly sourceLabels?: Record<string, string>;
  readonly destinations: WeightedDestination[];
}

/** Blue/green: every version side by side, one (or all) serving the main hosts. */
export interface BlueGreenStrategy {
  readonly kind: 'blue-green';
  /** The version serving the main hosts; undefined spreads requests over every version. */
  readonly activeVersion?: string;
  /** In-mesh callers labelled with a version reach that version. */
  readonly versionAffinity: boolean;
}

/** A weighted canary with optional limits, force routes, mirroring and stickiness. */
export interface CanaryStrategy {
  readonly kind: 'canary';
  readonly stable: string;
  readonly canary: string;
  /** Canary share in whole percent. */
  readonly weight: number;
  /** Requests that are split (empty: all). */
  readonly split: HttpMatchModel[];
  readonly forceCanary: HttpMatchModel[];
  readonly forceStable: HttpMatchModel[];
  readonly mirrorPercentage?: number;
  readonly sticky?: { readonly cookieName: string; readonly maxAgeSeconds: number };
}

/** How traffic moves between versions, independent of who moves it (static routes or Flagger). */
export type StrategyModel = BlueGreenStrategy | CanaryStrategy;
