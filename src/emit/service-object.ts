import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { ServiceModel } from '../model/release-model';

/** The Service spec fields the library writes, with their wire names. */
interface ServiceSpecWire {
  readonly type: string;
  readonly selector: Record<string, string>;
  readonly ports: { readonly name: string; readonly port: number; readonly targetPort: number }[];
}

/** A ClusterIP Service with every port of the release (each named after its protocol) and `selector`. */
export function serviceObject(
  scope: Construct, id: string, model: ServiceModel, metadata: ApiObjectMetadata, selector: Record<string, string>,
): ApiObject {
  const spec: ServiceSpecWire = {
    type: 'ClusterIP',
    selector,
    ports: model.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort })),
  };
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'Service', metadata, spec });
}
