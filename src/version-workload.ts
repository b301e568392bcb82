import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { cdk8sPlus } from './emit/cdk8s-plus';

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
   *
   * Defaults that differ from cdk8s-plus's, so the pod starts as written: a numeric non-root user
   * (`runAsUser`/`runAsGroup` 65534) when `ensureNonRoot` is on and no user is given; requests of
   * 100m CPU and 128 Mi, limits of 500m CPU and 512 Mi when no `resources` are given; Kubernetes' pull
   * policy (`Always` for untagged or `:latest` images, else `IfNotPresent`); and the Service's target
   * ports as container ports when none are declared. A declared port that the Service never forwards
   * to is an error.
   */
  public static container(props: VersionContainerProps): VersionWorkload {
    return new VersionWorkload(props, undefined, undefined);
  }

  /**
   * A cdk8s-plus workload (Deployment, StatefulSet or DaemonSet) the user already declares; the
   * release adds the app and version labels to its pod template and selector.
   */
  public static fromWorkload(workload: kplus.Workload): VersionWorkload {
    if (!(workload instanceof cdk8sPlus().Workload)) {
      const path = (workload as any)?.node?.path;
      throw new Error(`${path ?? 'VersionWorkload.fromWorkload'}: not a cdk8s-plus-27 workload: workloads built with another cdk8s-plus major (e.g. cdk8s-plus-33) or as plain objects are attached with VersionWorkload.fromApiObject(ApiObject.of(workload))`);
    }
    return new VersionWorkload(undefined, workload, undefined);
  }

  /**
   * A Deployment, StatefulSet or DaemonSet declared as a plain `ApiObject` (e.g. imported YAML); the
   * release adds the app and version labels to its pod template and selector with JSON patches.
   */
  public static fromApiObject(apiObject: ApiObject): VersionWorkload {
    if (!(apiObject instanceof ApiObject)) {
      const path = (apiObject as any)?.node?.path;
      throw new Error(`${path ?? 'VersionWorkload.fromApiObject'}: not an ApiObject: pass the workload's API object, e.g. VersionWorkload.fromApiObject(ApiObject.of(deployment))`);
    }
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
