import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MetadataFactory } from '../emit/object-metadata';
import { serviceObject } from '../emit/service-object';
import { ServiceModel } from '../model/release-model';
import { checkDnsServiceName } from '../validate/names';

/**
 * The Service a route sends a version's requests to. Gateway API backends are Services, without
 * subsets, so each version has its own Service `<service>-<version>` selecting the app and version
 * labels; `undefined` (every version, round-robin) is the main Service, which selects on the app
 * label alone (docs/gateway-api-semantics.md §1.6).
 */
export function backendName(service: ServiceModel, version: string | undefined): string {
  return version === undefined ? service.name : `${service.name}-${version}`;
}

/** A Service per declared version (retired ones too, as the Istio output keeps their subsets). */
export function versionServices(scope: Construct, service: ServiceModel, metadata: MetadataFactory): ApiObject[] {
  return service.versions.map((version) => {
    const name = backendName(service, version.name);
    try {
      checkDnsServiceName(service.path, name);
    } catch {
      throw new Error(`${service.path}: the Service of version '${version.name}' would be named '${name}' (${name.length} characters), which is not a valid Service name (a DNS-1035 label of at most 63 characters): shorten serviceName or the version name, or use ReleaseOutput.istio(), which needs no Service per version`);
    }
    return serviceObject(scope, `Service-${version.name}`, service, metadata(name), version.podLabels);
  });
}
