import { Chart, Testing } from 'cdk8s';
import { RouteSimulator } from './route-simulator';
import { RouteResult, SimulatedRequest } from './types';

/**
 * Test helpers in the style of cdk8s `Testing`: simulate routing of synthesized charts.
 */
export class TrafficTesting {
  /**
   * A simulator over the synthesized manifests of one or more charts.
   *
   * @param charts charts to synthesize (e.g. a gateway chart and an application chart)
   */
  public static simulator(...charts: Chart[]): RouteSimulator {
    return new RouteSimulator(charts.flatMap((c) => Testing.synth(c)));
  }

  /**
   * Synthesizes a chart and simulates one request against it.
   *
   * @param chart the chart to synthesize
   * @param request the request to simulate
   */
  public static route(chart: Chart, request: SimulatedRequest): RouteResult {
    return TrafficTesting.simulator(chart).route(request);
  }

  private constructor() {}
}
