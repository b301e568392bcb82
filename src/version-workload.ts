import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * The container of a version whose Deployment the release creates.
 */
export interface VersionContainerProps extends kplus.ContainerProps {
  /**
   * Number of pods of this version.
   *
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * Where the pods of one version come from.
 */
export class VersionWorkload {
  /**
   * The release creates a Deployment `<service>-<version>` with this container (cdk8s-plus-27).
   */
  public static container(props: VersionContainerProps): VersionWorkload {
    return new VersionWorkload(props, undefined, undefined);
  }

  /**
   * A cdk8s-plus workload (Deployment, StatefulSet or DaemonSet) the user already declares; the
   * release adds the app and version labels to its pod template and selector.
   */
  public static fromWorkload(workload: kplus.Workload): VersionWorkload {
    return new VersionWorkload(undefined, workload, undefined);
  }

  /**
   * A Deployment, StatefulSet or DaemonSet declared as a plain `ApiObject` (e.g. imported YAML); the
   * release adds the app and version labels to its pod template and selector with JSON patches.
   */
  public static fromApiObject(apiObject: ApiObject): VersionWorkload {
    return new VersionWorkload(undefined, undefined, apiObject);
  }

  private constructor(
    /** The container of a Deployment to create. */
    public readonly containerProps: VersionContainerProps | undefined,
    /** An existing cdk8s-plus workload. */
    public readonly workload: kplus.Workload | undefined,
    /** An existing workload as a plain API object. */
    public readonly apiObject: ApiObject | undefined,
  ) {}
}

/**
 * One version of a released service.
 */
export interface ServiceVersion {
  /**
   * The version name: the value of the version label on its pods and the name of its
   * DestinationRule subset (a DNS-1123 label such as `blue`, `green`, `v1`).
   */
  readonly name: string;

  /**
   * Where the pods of this version come from.
   *
   * @default - no workload is created or labelled: pods carrying the app and version labels are deployed by other means
   */
  readonly workload?: VersionWorkload;

  /**
   * Retires the version: it keeps its DestinationRule subset and workload but gets no traffic.
   * Removing a version is safe in two steps: retire it and let the change roll out, then delete it
   * (deleting a version that still gets traffic would send requests to a missing subset: 503).
   *
   * @default false
   */
  readonly retired?: boolean;
}
