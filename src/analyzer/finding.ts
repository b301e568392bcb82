/**
 * How bad a finding is.
 */
export enum FindingSeverity {
  /** Istio rejects the configuration, or silently sends traffic somewhere it was not meant to go. */
  ERROR = 'ERROR',
  /** Probably a mistake: part of the configuration has no effect, or behaviour depends on ordering. */
  WARNING = 'WARNING',
  /** Works, but deserves a look (e.g. protocol sniffing instead of a declared protocol). */
  INFO = 'INFO',
}

/**
 * One problem `analyze` found in a set of manifests.
 */
export interface Finding {
  /**
   * Stable identifier: Istio's analyzer code (`IST0101`) where Istio has one, else this
   * library's own (`ISTT001`); see the analyzer README for the table.
   */
  readonly code: string;

  /** How bad it is. */
  readonly severity: FindingSeverity;

  /** Kind of the object the finding is about, e.g. `VirtualService`. */
  readonly kind: string;

  /** Namespace of the object (`default` when the manifest has none). */
  readonly namespace: string;

  /** Name of the object. */
  readonly name: string;

  /**
   * Where in the object, e.g. `spec.http[1].match[0]`.
   *
   * @default - the object as a whole
   */
  readonly path?: string;

  /** What is wrong, naming the offending value. */
  readonly message: string;

  /** How to fix it. */
  readonly fix: string;

  /**
   * The file the object was read from (by `RouteSimulator.fromDirectory`, the command-line tool, or
   * any reader of this library).
   *
   * @default - the manifests were not read from files
   */
  readonly file?: string;

  /**
   * 1-based line in `file`: the object's first line (the command-line tool narrows it to `path`).
   *
   * @default - the manifests were not read from files
   */
  readonly line?: number;
}

/**
 * Knowledge about objects that are not among the analyzed manifests.
 */
export interface AnalysisOptions {
  /**
   * Gateways (`namespace/name`) that exist in the cluster but are not among the manifests, e.g. a
   * shared `istio-system/public-gateway`. References to them are not reported as missing.
   *
   * @default - every referenced Gateway must be among the manifests
   */
  readonly knownGateways?: string[];

  /**
   * Destination hosts that exist in the cluster but are not among the manifests (short names are
   * expanded with the namespace of the VirtualService that routes to them). Their subsets and ports
   * are not checked.
   *
   * @default - every destination host must be a Service or ServiceEntry among the manifests
   */
  readonly knownHosts?: string[];

  /**
   * Finding codes to leave out, e.g. `['IST0118']`.
   *
   * @default - report every code
   */
  readonly ignoreCodes?: string[];
}
