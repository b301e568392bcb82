import { Construct } from 'constructs';
import { requireLiveVersion } from './model/service-model';
import { PreviewHosts } from './preview-hosts';
import { TrafficRelease, TrafficReleaseProps } from './traffic-release';
import { requireBoolean, requireString } from './validate/prop-types';
import { ServiceVersion } from './version-workload';

/**
 * Properties of a blue/green release.
 */
export interface BlueGreenProps extends TrafficReleaseProps {
  /**
   * The versions running side by side. Every declared version keeps its DestinationRule subset even
   * when it gets no traffic, so switching between them is always safe.
   *
   * @default - `blue` and `green`, without workloads (their pods are deployed by other means)
   */
  readonly versions?: ServiceVersion[];

  /**
   * The version that receives the traffic of the main hosts. Switching and rolling back is a change
   * of this one value. With `flagger`, the version Flagger rolls out.
   *
   * @default - none: requests are spread round-robin over the pods of every version
   */
  readonly activeVersion?: string;

  /**
   * External hosts pinned to one version each, e.g. `app-green.example.com` to try green before the
   * switch. They are served by the same gateway as `hosts`.
   *
   * @default - no preview hosts
   */
  readonly previewHosts?: PreviewHosts;

  /**
   * Mesh version affinity: an in-mesh caller whose pods carry `<versionLabel>: X` reaches version X
   * of this service (HTTP and TCP ports), so a blue frontend talks to a blue backend. Callers without
   * a version label get the active version (or round-robin).
   *
   * @default false
   */
  readonly versionAffinity?: boolean;

  /**
   * With `versionAffinity`, each version admits only the same version of the releases in
   * `allowedCallers` (one AuthorizationPolicy per version), so a green web server cannot reach the
   * blue database even by addressing its pods. Calling releases need
   * `identity: WorkloadIdentity.serviceAccountPerVersion()`. Other callers (namespaces, service
   * accounts, the gateway) are admitted by every version.
   *
   * @default false
   */
  readonly sameVersionCallersOnly?: boolean;
}

/**
 * Two or more versions of a service side by side, one of them (or all, round-robin) serving the main
 * hosts, each optionally reachable on its own preview host.
 *
 * @example
 * new BlueGreen(chart, 'cowsay', {
 *   serviceName: 'cowsay',
 *   ports: [{ port: 80, protocol: PortProtocol.HTTP }],
 *   hosts: ['cowsay.example.com'],
 *   versions: [
 *     { name: 'v1', workload: VersionWorkload.container({ image: 'dougbtv/nginx-cowsay:v1' }) },
 *     { name: 'v2', workload: VersionWorkload.container({ image: 'dougbtv/nginx-cowsay:v2' }) },
 *   ],
 *   activeVersion: 'v1',
 * });
 */
export class BlueGreen extends TrafficRelease {
  /** The active version, if one is set. */
  public readonly activeVersion?: string;

  constructor(scope: Construct, id: string, props: BlueGreenProps) {
    super(scope, id);
    this._checkProps(props);
    requireString(this.node.path, 'activeVersion', props.activeVersion, true);
    requireBoolean(this.node.path, 'versionAffinity', props.versionAffinity, true);
    this.activeVersion = props.activeVersion;
    this._release(props, {
      versions: props.versions ?? [{ name: 'blue' }, { name: 'green' }],
      previewHosts: props.previewHosts,
      sameVersionCallersOnly: props.sameVersionCallersOnly,
      strategy: (model) => {
        if (props.activeVersion !== undefined) {
          requireLiveVersion(model, props.activeVersion, 'active');
        }
        return { kind: 'blue-green', activeVersion: props.activeVersion, versionAffinity: props.versionAffinity ?? false };
      },
    });
  }
}
