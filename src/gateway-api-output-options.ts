import { Waypoint } from './waypoint';

/**
 * Ambient mode (sidecar-less): ztunnel carries the traffic and the waypoint applies the mesh routes.
 */
export interface AmbientOptions {
  /**
   * Enrols the release's namespace in ambient mode (`istio.io/dataplane-mode: ambient`). The label
   * is added to a Namespace object the app already declares, or a Namespace object is written;
   * either way the app then owns the namespace's definition.
   *
   * @default false - the namespace is enrolled by other means
   */
  readonly enrollNamespace?: boolean;

  /**
   * The waypoint that applies the mesh routes; the Service is labelled `istio.io/use-waypoint` with
   * its name.
   *
   * @default Waypoint.create() - a waypoint named `waypoint` in the release's namespace
   */
  readonly waypoint?: Waypoint;
}

/**
 * How a release is written as Kubernetes Gateway API objects.
 */
export interface GatewayApiOutputOptions {
  /**
   * The cluster has the experimental-channel Gateway API CRDs and istiod runs with
   * `PILOT_ENABLE_ALPHA_GATEWAY_API=true`. Needed for TCP ports: their weighted routes are
   * `TCPRoute`s, which exist only in the experimental channel.
   *
   * @default false - standard channel only: a release with TCP ports is rejected
   */
  readonly experimentalChannel?: boolean;

  /**
   * Namespace of the TLS Secret named by the created gateway's `credentialName`, when it is not the
   * release's namespace. The release then also writes a `ReferenceGrant` in that namespace that lets
   * its Gateway read the Secret.
   *
   * @default - the Secret is in the release's namespace
   */
  readonly certificateNamespace?: string;

  /**
   * Ambient mode: the mesh routes take effect at a waypoint.
   *
   * @default - sidecar mode: callers' sidecars apply the mesh routes
   */
  readonly ambient?: AmbientOptions;
}
