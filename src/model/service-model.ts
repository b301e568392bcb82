import { GatewayBinding } from '../gateway-binding';
import { PreviewHosts } from '../preview-hosts';
import { PortProtocol, ServicePort } from '../service-port';
import { checkUriPath } from '../validate/http-names';
import {
  checkDnsLabel, checkDnsServiceName, checkExternalHost, checkIntegerInRange, hostCovers, checkLabelKey, checkLabelValue,
  checkNoOverlappingHosts, checkUnique,
} from '../validate/names';
import {
  requireArray, requireBoolean, requireInstance, requireObject, requireString, requireStringMap,
} from '../validate/prop-types';
import { ServiceVersion, VersionWorkload } from '../version-workload';
import { MountModel, PortModel, ServiceModel } from './release-model';

const HTTP_PROTOCOLS: string[] = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB];

/** What `buildServiceModel` reads from a release's props. */
export interface ServiceDeclaration {
  readonly path: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly ports: ServicePort[];
  readonly versions: ServiceVersion[];
  readonly hosts?: string[];
  readonly previewHosts?: PreviewHosts;
  readonly gateway?: GatewayBinding;
  readonly meshRouting?: boolean;
  readonly appLabel?: string;
  readonly versionLabel?: string;
  readonly labels?: Record<string, string>;
  readonly pathPrefix?: string;
  readonly rewritePrefix?: string;
}

/** The service model plus the Gateway to create, if any. */
export interface CheckedService {
  readonly model: ServiceModel;
  readonly gatewayToCreate?: { readonly binding: GatewayBinding; readonly name: string };
}

/**
 * Checks a release's declaration and turns it into the service model. Every message names the
 * construct path, the bad value and what is allowed.
 */
export function buildServiceModel(d: ServiceDeclaration): CheckedService {
  const path = d.path;
  checkDeclarationTypes(d);
  const appLabel = d.appLabel ?? 'app';
  const versionLabel = d.versionLabel ?? 'version';
  checkDnsServiceName(path, d.serviceName);
  checkDnsLabel(path, 'namespace', d.namespace);
  checkLabelKey(path, appLabel);
  checkLabelKey(path, versionLabel);
  if (appLabel === versionLabel) {
    throw new Error(`${path}: appLabel and versionLabel are both '${appLabel}': the Service selects on the app label, so it would select a single version and leave the other subsets empty`);
  }
  for (const [key, value] of Object.entries({ ...d.labels })) {
    checkLabelKey(path, key);
    checkLabelValue(path, key, value);
  }

  const versionNames = d.versions.map((v) => v.name);
  if (versionNames.length === 0) {
    throw new Error(`${path}: no versions declared: a release needs at least one version`);
  }
  versionNames.forEach((name) => checkDnsLabel(path, 'version name', name));
  checkUnique(path, 'version', versionNames);

  const hosts = d.hosts ?? [];
  hosts.forEach((host) => checkExternalHost(path, host, true));
  checkNoOverlappingHosts(path, hosts);
  // A pattern gives every live version a preview host; retired versions get none.
  const explicitPreviews = d.previewHosts?.hostsByVersion !== undefined;
  const previewHosts = d.previewHosts?.resolve(d.versions.filter((v) => !v.retired || explicitPreviews).map((v) => v.name)) ?? {};
  for (const [version, host] of Object.entries(previewHosts)) {
    checkExternalHost(`${path} (preview host of ${version})`, host);
  }
  for (const version of Object.keys(d.previewHosts?.hostsByVersion ?? {})) {
    requireVersion(path, version, versionNames, 'preview host');
  }
  const retired = d.versions.filter((v) => v.retired).map((v) => v.name);
  for (const version of retired.filter((v) => previewHosts[v] !== undefined)) {
    throw new Error(`${path}: retired version '${version}' has preview host '${previewHosts[version]}': a retired version gets no traffic; remove its preview host`);
  }
  if (retired.length === versionNames.length) {
    throw new Error(`${path}: every version is retired (${retired.join(', ')}): at least one version must take traffic`);
  }
  checkUnique(path, 'host', [...hosts, ...Object.values(previewHosts)]);
  for (const [version, preview] of Object.entries(previewHosts)) {
    const cover = hosts.find((host) => hostCovers(host, preview));
    if (cover !== undefined) {
      throw new Error(`${path}: preview host '${preview}' of version '${version}' is also matched by host '${cover}' on the same gateway: Istio merges both VirtualServices for it and the main route wins; use a preview host outside '${cover}'`);
    }
  }

  const ports = portModels(path, d.ports);
  if (hosts.length > 0 && !ports.some((p) => p.http)) {
    throw new Error(`${path}: external hosts ${hosts.join(', ')} need an HTTP port: declare a port with protocol ${HTTP_PROTOCOLS.join(', ')}`);
  }

  const needsGateway = hosts.length > 0 || Object.keys(previewHosts).length > 0;
  const mount = mountModel(path, d, needsGateway);
  const binding = needsGateway ? d.gateway ?? GatewayBinding.create() : d.gateway;
  const gatewayName = binding?.createOptions?.name ?? `${d.serviceName}-gateway`;
  if (binding?.createOptions) {
    checkDnsLabel(path, 'gateway name', gatewayName);
    checkCreatedGateway(path, binding);
  }
  const model: ServiceModel = {
    path,
    name: d.serviceName,
    namespace: d.namespace,
    fqdn: `${d.serviceName}.${d.namespace}.svc.cluster.local`,
    appLabel,
    versionLabel,
    ports,
    versions: d.versions.map((v) => ({
      name: v.name,
      retired: v.retired ?? false,
      podLabels: { [appLabel]: d.serviceName, [versionLabel]: v.name },
    })),
    externalHosts: hosts,
    previewHosts,
    gateway: binding?.reference ?? (binding ? `${d.namespace}/${gatewayName}` : undefined),
    meshRouting: d.meshRouting ?? true,
    mount,
  };
  return { model, gatewayToCreate: binding?.createOptions ? { binding, name: gatewayName } : undefined };
}

/**
 * JavaScript and other jsii languages can pass any value; each prop is checked for its type before
 * it is read, so a wrong type is reported with the construct path instead of as a TypeError.
 */
function checkDeclarationTypes(d: ServiceDeclaration): void {
  const path = d.path;
  requireString(path, 'serviceName', d.serviceName);
  requireString(path, 'namespace', d.namespace);
  requireArray(path, 'ports', d.ports).forEach((port, i) => requireObject(path, `ports[${i}]`, port));
  requireArray(path, 'hosts', d.hosts, true).forEach((host, i) => requireString(path, `hosts[${i}]`, host));
  requireInstance(path, 'gateway', d.gateway, GatewayBinding, 'a GatewayBinding (GatewayBinding.create or GatewayBinding.fromReference)', true);
  requireInstance(path, 'previewHosts', d.previewHosts, PreviewHosts, 'a PreviewHosts (PreviewHosts.pattern or PreviewHosts.map)', true);
  requireBoolean(path, 'meshRouting', d.meshRouting, true);
  requireString(path, 'appLabel', d.appLabel, true);
  requireString(path, 'versionLabel', d.versionLabel, true);
  requireStringMap(path, 'labels', d.labels, true);
  requireString(path, 'pathPrefix', d.pathPrefix, true);
  requireString(path, 'rewritePrefix', d.rewritePrefix, true);
  requireArray(path, 'versions', d.versions).forEach((version, i) => {
    requireObject(path, `versions[${i}]`, version);
    requireString(path, `versions[${i}].name`, version.name);
    requireInstance(path, `workload of version '${version.name}'`, version.workload, VersionWorkload,
      'a VersionWorkload (VersionWorkload.container, fromWorkload or fromApiObject)', true);
    requireBoolean(path, `retired of version '${version.name}'`, version.retired, true);
  });
}

/**
 * The mount of a release on its gateway hosts (`pathPrefix`, `rewritePrefix`), matched by whole
 * segments like `PathRoute.pathPrefix`: trailing slashes are dropped, so `/api/` and `/api` mount the
 * same way.
 */
function mountModel(path: string, d: ServiceDeclaration, hasHosts: boolean): MountModel | undefined {
  if (d.pathPrefix === undefined) {
    if (d.rewritePrefix !== undefined) {
      throw new Error(`${path}: rewritePrefix '${d.rewritePrefix}' given without pathPrefix: only a mount prefix can be rewritten; set pathPrefix, or remove rewritePrefix`);
    }
    return undefined;
  }
  checkUriPath(path, 'pathPrefix', d.pathPrefix);
  const prefix = d.pathPrefix.replace(/\/+$/, '');
  if (prefix === '') {
    throw new Error(`${path}: pathPrefix '${d.pathPrefix}' mounts the release on every path, which is what a release without pathPrefix does: remove pathPrefix, or give a prefix such as '/api'`);
  }
  if (!hasHosts) {
    throw new Error(`${path}: pathPrefix '${d.pathPrefix}' would have no effect: it mounts the release on its hosts, and the release has none (hosts, previewHosts); give it hosts or remove pathPrefix`);
  }
  if (d.rewritePrefix === undefined) {
    return { prefix };
  }
  checkUriPath(path, 'rewritePrefix', d.rewritePrefix);
  const rewrite = d.rewritePrefix === '/' ? '/' : d.rewritePrefix.replace(/\/+$/, '');
  return rewrite === prefix ? { prefix } : { prefix, rewrite };
}

/** A Gateway the release creates: its HTTP and HTTPS servers must make sense together. */
function checkCreatedGateway(path: string, binding: GatewayBinding): void {
  const options = binding.createOptions!;
  requireBoolean(path, 'gateway httpsRedirect', options.httpsRedirect, true);
  requireBoolean(path, 'gateway serveHttp', options.serveHttp, true);
  if (options.credentialName === undefined) {
    for (const option of ['httpsRedirect', 'serveHttp'] as const) {
      if (options[option]) {
        throw new Error(`${path}: gateway ${option}: true without credentialName: the Gateway has no HTTPS server, so port 80 serves plain HTTP and ${option} would change nothing; set credentialName to the TLS Secret of an HTTPS server, or remove ${option}`);
      }
    }
    return;
  }
  requireString(path, 'gateway credentialName', options.credentialName);
  if (options.httpsRedirect && options.serveHttp) {
    throw new Error(`${path}: gateway httpsRedirect and serveHttp are both true: port 80 either redirects every request to HTTPS or serves it; choose one`);
  }
}

/** Throws unless `version` is one of `versionNames`. */
export function requireVersion(path: string, version: string, versionNames: string[], what: string): void {
  if (!versionNames.includes(version)) {
    throw new Error(`${path}: unknown ${what} version '${version}': declared versions are ${versionNames.map((v) => `'${v}'`).join(', ')}`);
  }
}

/** Throws unless `version` is declared and takes traffic. */
export function requireLiveVersion(model: ServiceModel, version: string, what: string, where: string = model.path): void {
  requireVersion(where, version, model.versions.map((v) => v.name), what);
  if (model.versions.find((v) => v.name === version)!.retired) {
    const live = model.versions.filter((v) => !v.retired).map((v) => `'${v.name}'`).join(', ');
    throw new Error(`${where}: ${what} version '${version}' is retired and gets no traffic: choose one of ${live}, or stop retiring it`);
  }
}

function portModels(path: string, ports: ServicePort[]): PortModel[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new Error(`${path}: no ports declared: a release needs at least one port with a protocol`);
  }
  const protocols = Object.values(PortProtocol) as string[];
  const models = ports.map((p) => {
    checkIntegerInRange(path, 'port', p.port, 1, 65535);
    if (!protocols.includes(p.protocol)) {
      throw new Error(`${path}: port ${p.port} has protocol '${p.protocol}': every port needs an explicit protocol, one of ${protocols.join(', ')}`);
    }
    const targetPort = p.targetPort ?? p.port;
    checkIntegerInRange(path, 'targetPort', targetPort, 1, 65535);
    const name = p.name ?? `${p.protocol}-${p.port}`;
    checkDnsLabel(path, 'port name', name);
    if (name !== p.protocol && !name.startsWith(`${p.protocol}-`)) {
      throw new Error(`${path}: port name '${name}' does not tell Istio its protocol: it must be '${p.protocol}' or start with '${p.protocol}-'`);
    }
    return { port: p.port, targetPort, name, protocol: p.protocol, http: HTTP_PROTOCOLS.includes(p.protocol) };
  });
  checkUnique(path, 'port', models.map((p) => String(p.port)));
  checkUnique(path, 'port name', models.map((p) => p.name));
  return models;
}
