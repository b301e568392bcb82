/**
 * The Kubernetes service account a release's pods run as: their identity in the mesh
 * (`spiffe://cluster.local/ns/<namespace>/sa/<service account>`), which other releases' allow-lists
 * name. Pods that run as the namespace's `default` service account cannot be told apart from any
 * other such pod, so a release named in an allow-list needs one of these.
 */
export class WorkloadIdentity {
  /**
   * The release creates a ServiceAccount `<service>-<version>` for each version and runs that
   * version's pods as it, so an allow-list can admit one version of the caller and not another.
   */
  public static serviceAccountPerVersion(): WorkloadIdentity {
    return new WorkloadIdentity('per-version', undefined);
  }

  /**
   * The release creates one ServiceAccount `<service>` and runs the pods of every version as it.
   */
  public static serviceAccountPerRelease(): WorkloadIdentity {
    return new WorkloadIdentity('per-release', undefined);
  }

  /**
   * Every version runs as a service account that already exists in the release's namespace (created
   * by other means). The release sets it on the workloads it creates or labels.
   *
   * @param name the ServiceAccount name
   */
  public static existingServiceAccount(name: string): WorkloadIdentity {
    return new WorkloadIdentity('existing', name);
  }

  private constructor(
    /** How the service accounts are chosen: `per-version`, `per-release` or `existing`. */
    public readonly kind: string,
    /** The existing service account, for `existing`. */
    public readonly serviceAccountName: string | undefined,
  ) {}
}
