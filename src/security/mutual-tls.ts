/**
 * Options of strict mutual TLS.
 */
export interface StrictMutualTlsOptions {
  /**
   * Service ports that also accept plain text (port-level `PERMISSIVE`), e.g. a port that clients
   * without a sidecar call. Callers in the mesh still use mutual TLS there and keep their identity.
   * Give the release's service ports; the PeerAuthentication names their target ports, because
   * Istio keys `portLevelMtls` by the workload port.
   *
   * @default - none
   */
  readonly permissivePorts?: number[];

  /**
   * Service ports that accept only plain text (port-level `DISABLE`). Istio's automatic mutual TLS
   * follows the PeerAuthentication, so callers in the mesh send plain text there too and carry no
   * identity: an allow-list of service accounts or namespaces would deny them.
   *
   * @default - none
   */
  readonly disabledPorts?: number[];
}

/**
 * The mutual TLS a release's pods require from their callers: a `PeerAuthentication`
 * (`security.istio.io`) selecting the release's pods by the app label.
 *
 * The library never writes a DestinationRule `tls` setting: Istio's automatic mutual TLS keeps
 * working for every caller in the mesh.
 */
export class MutualTls {
  /**
   * Every port of the release's pods requires mutual TLS (`STRICT`): only callers with a sidecar
   * (and so a mesh identity) get through. Ports that must take plain text are listed in the options.
   */
  public static strict(options: StrictMutualTlsOptions = {}): MutualTls {
    return new MutualTls('STRICT', options.permissivePorts ?? [], options.disabledPorts ?? []);
  }

  private constructor(
    /** The workload-level mode, as Istio names it. */
    public readonly mode: string,
    /** Service ports that also accept plain text. */
    public readonly permissivePorts: number[],
    /** Service ports that accept only plain text. */
    public readonly disabledPorts: number[],
  ) {}
}
