/**
 * A rollout handed to Flagger, as a reviewer needs to know it: Flagger, not the manifests, owns the
 * routes, so the plan says what Flagger will do with them.
 */
export interface PlanFlaggerRollout {
  /** The Flagger Canary as `namespace/name`. */
  readonly canary: string;

  /** The workload Flagger rolls out, e.g. `Deployment/backend`. */
  readonly target: string;

  /** How Flagger moves traffic: `blue/green`, `canary` or `A/B testing`. */
  readonly mode: string;

  /** The hosts of the VirtualService Flagger writes: `service.hosts` plus the service name. */
  readonly hosts: string[];

  /** The gateways that VirtualService binds to (`mesh` for in-mesh callers). */
  readonly gateways: string[];

  /** The service port Flagger routes. */
  readonly port: number;

  /** Checks in words: interval, failed checks before rollback, metrics, webhooks. */
  readonly analysis: string[];

  /** What Flagger does, step by step, until promotion. */
  readonly steps: string[];
}
