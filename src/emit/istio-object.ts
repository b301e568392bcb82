import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, DestinationRuleSpec, Gateway, GatewaySpec, VirtualService, VirtualServiceSpec } from '../../imports/networking.istio.io';
import { IstioApiVersion } from '../api-version';

/** An Istio kind, tied to the generated spec type the library writes for it. */
interface IstioKind<Spec> {
  readonly kind: string;
  /** Never set: only makes `istioObject` accept the right spec type for the kind. */
  readonly specType?: Spec;
}

export const VIRTUAL_SERVICE: IstioKind<VirtualServiceSpec> = { kind: VirtualService.GVK.kind };
export const DESTINATION_RULE: IstioKind<DestinationRuleSpec> = { kind: DestinationRule.GVK.kind };
export const GATEWAY: IstioKind<GatewaySpec> = { kind: Gateway.GVK.kind };

/**
 * An Istio networking object of the chosen API version. The generated classes hard-wire the storage
 * version, and v1beta1 has the same schema, so the spec goes into a plain ApiObject whose apiVersion
 * we choose. Specs are typed with the generated interfaces; every field the library writes has the
 * same name on the wire, so the generated converter (a copy that costs about 5 % of synthesis
 * time) is skipped, and a test pins that the converter would not change anything. A spec given
 * as a function is produced at synthesis, so routes added after construction are included.
 */
export function istioObject<Spec extends object>(
  scope: Construct, id: string, kind: IstioKind<Spec>, apiVersion: IstioApiVersion, metadata: ApiObjectMetadata, spec: Spec | (() => Spec),
): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: `networking.istio.io/${apiVersion}`,
    kind: kind.kind,
    metadata,
    spec: typeof spec === 'function' ? Lazy.any({ produce: spec }) : spec,
  });
}
