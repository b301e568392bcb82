/**
 * The Istio networking API version written into generated objects.
 */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served by Istio 1.22 and later. */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1`, for clusters older than Istio 1.22 (same schema as `v1`). */
  V1BETA1 = 'v1beta1',
}
