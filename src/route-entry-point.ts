/**
 * Where requests enter a release's routing: the sidecars of in-mesh callers, or the gateway that
 * serves the release's external hosts.
 */
export enum RouteEntryPoint {
  /** Callers inside the mesh, routed by their sidecars (the release's mesh VirtualService). */
  MESH = 'mesh',
  /** External clients on the release's hosts, routed by the gateway (the ingress VirtualService). */
  GATEWAY = 'gateway',
}
