import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApiVersion } from '../api-version';
import { GATEWAY, istioObject } from './istio-object';
import { gatewaySpec } from './istio-specs';
import { MetadataFactory } from './object-metadata';
import { CheckedService } from '../model/service-model';
import { registerGatewayObject } from '../validate/host-sharing';

/** Creates the release's own Gateway for its external and preview hosts, when it has one. */
export function createGateway(
  scope: Construct, checked: CheckedService, apiVersion: IstioApiVersion, metadata: MetadataFactory,
): ApiObject | undefined {
  const toCreate = checked.gatewayToCreate;
  if (!toCreate) {
    return undefined;
  }
  const options = toCreate.binding.createOptions!;
  const model = checked.model;
  const spec = gatewaySpec({
    hosts: [...model.externalHosts, ...Object.values(model.previewHosts)],
    selector: options.selector ?? { istio: 'ingressgateway' },
    credentialName: options.credentialName,
    httpsRedirect: options.httpsRedirect,
    serveHttp: options.serveHttp,
  });
  const gateway = istioObject(scope, 'Gateway', GATEWAY, apiVersion, metadata(toCreate.name), spec);
  registerGatewayObject(gateway, { owner: model.path, spec: () => spec });
  return gateway;
}
