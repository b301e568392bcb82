import { ApiObjectMetadata } from 'cdk8s';
import { ServiceModel } from '../model/release-model';

/** Builds the metadata every object of one release shares: namespace, app label, user labels. */
export type MetadataFactory = (name: string) => ApiObjectMetadata;

export function metadataFactory(service: ServiceModel, labels: Record<string, string>, annotations: Record<string, string>): MetadataFactory {
  return (name) => ({
    name,
    namespace: service.namespace,
    labels: { ...labels, [service.appLabel]: service.name },
    annotations: Object.keys(annotations).length > 0 ? { ...annotations } : undefined,
  });
}
