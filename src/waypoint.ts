import { checkDnsLabel } from './validate/names';

/**
 * Options for a waypoint the release creates.
 */
export interface CreatedWaypointOptions {
  /**
   * The waypoint's name. Releases of one app that create a waypoint of the same name in the same
   * namespace share it (it is written once).
   *
   * @default 'waypoint' (the name `istioctl waypoint apply` gives)
   */
  readonly name?: string;
}

/**
 * The ambient waypoint that applies the release's mesh routes: Gateway API routes whose parent is a
 * Service take effect for ambient callers only at the waypoint the Service is labelled to use.
 */
export class Waypoint {
  /**
   * Creates a waypoint in the release's namespace: a Gateway of class `istio-waypoint` with the one
   * HBONE listener Istio accepts, serving Service traffic (`istio.io/waypoint-for: service`).
   */
  public static create(options: CreatedWaypointOptions = {}): Waypoint {
    const name = options.name ?? 'waypoint';
    checkDnsLabel('Waypoint.create', 'waypoint name', name);
    return new Waypoint(name, undefined, true);
  }

  /**
   * Uses a waypoint that already exists, e.g. one made by `istioctl waypoint apply`. It must serve
   * Service traffic (`istio.io/waypoint-for: service` or `all`).
   *
   * @param name the waypoint's name
   * @param namespace the waypoint's namespace; a waypoint in another namespace must allow the
   *   release's namespace to use it
   */
  public static fromName(name: string, namespace?: string): Waypoint {
    checkDnsLabel('Waypoint.fromName', 'waypoint name', name);
    if (namespace !== undefined) {
      checkDnsLabel('Waypoint.fromName', 'waypoint namespace', namespace);
    }
    return new Waypoint(name, namespace, false);
  }

  private constructor(
    /** The waypoint's name. */
    public readonly name: string,
    /** The waypoint's namespace, when it is not the release's. */
    public readonly namespace: string | undefined,
    /** Whether the release writes the waypoint. */
    public readonly created: boolean,
  ) {}
}
