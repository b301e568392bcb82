import { IConstruct } from 'constructs';
import type { TrafficRelease } from '../traffic-release';
import { checkServiceAccountName } from './identity-names';
import { checkDnsLabel } from '../validate/names';

/**
 * The ingress gateway's identity, when its pods are not Istio's default ingress gateway.
 */
export interface IngressGatewayIdentityOptions {
  /**
   * Namespace of the gateway pods.
   *
   * @default 'istio-system'
   */
  readonly namespace?: string;

  /**
   * Service account the gateway pods run as.
   *
   * @default 'istio-ingressgateway-service-account' (what `istioctl install` creates)
   */
  readonly serviceAccount?: string;
}

/**
 * One entry of a release's allow-list (`allowedCallers`): who may call the release's pods. The
 * release writes an `AuthorizationPolicy` (action `ALLOW`) that admits exactly these callers, so every
 * other request is denied with 403 (RBAC). Callers are told apart by their mTLS identity, so every
 * entry requires callers with a sidecar.
 */
export class AllowedCaller {
  /**
   * Every workload in a namespace (`source.namespaces`).
   *
   * @param namespace the callers' namespace, e.g. `shop`
   */
  public static namespace(namespace: string): AllowedCaller {
    checkDnsLabel('AllowedCaller.namespace', 'namespace', namespace);
    return new AllowedCaller('namespace', namespace, undefined, undefined, undefined);
  }

  /**
   * The pods that run as one Kubernetes service account (principal
   * `cluster.local/ns/<namespace>/sa/<name>`).
   *
   * @param namespace the service account's namespace
   * @param name the service account's name
   */
  public static serviceAccount(namespace: string, name: string): AllowedCaller {
    checkDnsLabel('AllowedCaller.serviceAccount', 'namespace', namespace);
    checkServiceAccountName('AllowedCaller.serviceAccount', name);
    return new AllowedCaller('service-account', namespace, name, undefined, undefined);
  }

  /**
   * The pods of another release, by the service accounts its `identity` gives them. With
   * `sameVersionCallersOnly`, each version admits only the caller's version of the same name.
   *
   * @param release a `BlueGreen` or `Canary` of the same app with an `identity`
   */
  public static release(release: TrafficRelease): AllowedCaller {
    const node = (release as IConstruct | undefined)?.node;
    if (typeof node?.path !== 'string') {
      throw new Error(`AllowedCaller.release: expected a BlueGreen or Canary release, got ${typeof release === 'object' ? JSON.stringify(release) : String(release)}`);
    }
    return new AllowedCaller('release', undefined, undefined, release, undefined);
  }

  /**
   * The ingress gateway that serves the release's own hosts. Its identity comes from the release's
   * `gateway`: a Gateway the release creates for the default ingress gateway pods
   * (`istio: ingressgateway`) runs as `istio-system/istio-ingressgateway-service-account`. For other
   * gateway pods, or a Gateway bound by reference, state the identity in `options`.
   *
   * @param options the gateway pods' namespace and service account, when they are not the default ingress gateway's
   */
  public static ingressGateway(options?: IngressGatewayIdentityOptions): AllowedCaller {
    if (options?.namespace !== undefined) {
      checkDnsLabel('AllowedCaller.ingressGateway', 'namespace', options.namespace);
    }
    if (options?.serviceAccount !== undefined) {
      checkServiceAccountName('AllowedCaller.ingressGateway', options.serviceAccount);
    }
    return new AllowedCaller('ingress-gateway', undefined, undefined, undefined, options);
  }

  /**
   * Every workload with a mesh identity, in any namespace (principal `*`): callers with a sidecar,
   * including gateways; plain-text clients from outside the mesh are denied.
   */
  public static mesh(): AllowedCaller {
    return new AllowedCaller('mesh', undefined, undefined, undefined, undefined);
  }

  private constructor(
    /** What kind of caller: `namespace`, `service-account`, `release`, `ingress-gateway` or `mesh`. */
    public readonly kind: string,
    /** The namespace, for `namespace` and `service-account`. */
    public readonly namespaceName: string | undefined,
    /** The service account name, for `service-account`. */
    public readonly serviceAccountName: string | undefined,
    /** The calling release, for `release`. */
    public readonly callingRelease: TrafficRelease | undefined,
    /** The stated gateway identity, for `ingress-gateway`. */
    public readonly gatewayIdentity: IngressGatewayIdentityOptions | undefined,
  ) {}
}
