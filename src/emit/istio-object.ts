import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DestinationRule, DestinationRuleSpec, Gateway, GatewaySpec, toJson_DestinationRuleSpec, toJson_GatewaySpec,
  toJson_VirtualServiceSpec, VirtualService, VirtualServiceSpec,
} from '../../imports/networking.istio.io';
import { IstioApiVersion } from '../api-version';

interface IstioKind<Spec> {
  readonly kind: string;
  readonly toJson: (spec: Spec) => unknown;
}

export const VIRTUAL_SERVICE: IstioKind<VirtualServiceSpec> = { kind: VirtualService.GVK.kind, toJson: toJson_VirtualServiceSpec };
export const DESTINATION_RULE: IstioKind<DestinationRuleSpec> = { kind: DestinationRule.GVK.kind, toJson: toJson_DestinationRuleSpec };
export const GATEWAY: IstioKind<GatewaySpec> = { kind: Gateway.GVK.kind, toJson: toJson_GatewaySpec };

/**
 * An Istio networking object of the chosen API version. The generated classes hard-wire the storage
 * version, and v1beta1 has the same schema, so the typed spec goes through the generated converter
 * into a plain ApiObject whose apiVersion we choose. The spec is produced at synthesis, so routes
 * added after construction are included.
 */
export function istioObject<Spec>(
  scope: Construct, id: string, kind: IstioKind<Spec>, apiVersion: IstioApiVersion, metadata: ApiObjectMetadata, spec: () => Spec,
): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: `networking.istio.io/${apiVersion}`,
    kind: kind.kind,
    metadata,
    spec: Lazy.any({ produce: () => kind.toJson(spec()) }),
  });
}
