import { RouteEntryPoint } from './route-entry-point';
import { TrafficRelease } from './traffic-release';

/**
 * What every opt-in route declares: the release it is added to, the version it sends requests to
 * and where it applies.
 */
export interface OptInRouteProps {
  /**
   * The release (BlueGreen or Canary) whose VirtualServices get the route.
   */
  readonly release: TrafficRelease;

  /**
   * The version that matching requests reach.
   */
  readonly version: string;

  /**
   * Where the route applies: in-mesh callers, external clients on the release's hosts, or both.
   * Each entry point named must exist on the release (`MESH` needs mesh routing, `GATEWAY` needs
   * `hosts`).
   *
   * @default - every entry point the release has
   */
  readonly entryPoints?: RouteEntryPoint[];
}
