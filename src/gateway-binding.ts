import { checkGatewayReference } from './validate/names';

/**
 * Options for a Gateway the release creates.
 */
export interface CreatedGatewayOptions {
  /**
   * The Gateway name.
   *
   * @default - `<service>-gateway`
   */
  readonly name?: string;

  /**
   * Labels of the gateway pods that serve this Gateway.
   *
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * Name of the Kubernetes TLS Secret (in the gateway pods' namespace) for an HTTPS server on port 443.
   *
   * @default - no HTTPS server: the Gateway serves plain HTTP on port 80
   */
  readonly credentialName?: string;

  /**
   * With `credentialName`, also serve port 80 and answer every plain HTTP request with a 301 to HTTPS.
   *
   * @default false
   */
  readonly httpsRedirect?: boolean;

  /**
   * With `credentialName`, also serve plain HTTP on port 80, side by side with HTTPS on 443: both
   * servers take the same hosts, so the same routes apply to either scheme. Exclusive with
   * `httpsRedirect`.
   *
   * @default false - with `credentialName`, port 80 is served only with `httpsRedirect`
   */
  readonly serveHttp?: boolean;
}

/**
 * The Istio Gateway through which external clients reach a release.
 */
export class GatewayBinding {
  /**
   * Creates a Gateway for the release's external hosts, next to the release.
   */
  public static create(options: CreatedGatewayOptions = {}): GatewayBinding {
    return new GatewayBinding(undefined, options);
  }

  /**
   * Binds to a Gateway that already exists, e.g. a shared `istio-system/public-gateway`.
   *
   * When the Gateway is defined in the same app (created by another release, or written by hand),
   * the synth-time host-sharing check reads its selector and servers. Otherwise its pods, ports and
   * hosts are unknown: releases bound to it are compared with each other only, and `check` on the
   * platform's manifests (the Gateway included) compares them with everything on its pods.
   *
   * @param reference the Gateway as `namespace/name`
   */
  public static fromReference(reference: string): GatewayBinding {
    checkGatewayReference('GatewayBinding.fromReference', reference);
    return new GatewayBinding(reference, undefined);
  }

  private constructor(
    /** The existing Gateway as `namespace/name`, when binding to one. */
    public readonly reference: string | undefined,
    /** The options of the Gateway to create, when creating one. */
    public readonly createOptions: CreatedGatewayOptions | undefined,
  ) {}
}
