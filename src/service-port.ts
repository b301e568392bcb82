/**
 * The application protocol of a service port. Istio reads it from the Service port name
 * (`<protocol>-<suffix>`), so the library names every port after it.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum PortProtocol {
  /** HTTP/1.1; routed with `http` rules. */
  HTTP = 'http',
  /** HTTP/2 (cleartext); routed with `http` rules. */
  HTTP2 = 'http2',
  /** gRPC; routed with `http` rules. */
  GRPC = 'grpc',
  /** gRPC-Web; routed with `http` rules. */
  GRPC_WEB = 'grpc-web',
  /** Opaque TCP; routed with `tcp` rules (use this for MySQL, not `mysql`: istio/istio#13484). */
  TCP = 'tcp',
  /** TLS passed through to the application; routed with `tcp` rules on the mesh. */
  TLS = 'tls',
  /** HTTPS terminated by the application; routed with `tcp` rules on the mesh. */
  HTTPS = 'https',
}

/**
 * One port of a released service.
 */
export interface ServicePort {
  /**
   * The port the Kubernetes Service listens on.
   */
  readonly port: number;

  /**
   * The application protocol; decides the port name and whether `http` or `tcp` rules route it.
   */
  readonly protocol: PortProtocol;

  /**
   * The container port traffic is forwarded to.
   *
   * @default - the same as `port`
   */
  readonly targetPort?: number;

  /**
   * The Service port name. Must start with the protocol (`http`, `http-web`, ...).
   *
   * @default - `<protocol>-<port>`, e.g. `http-80` or `tcp-3306`
   */
  readonly name?: string;

  /**
   * Whether clients without a sidecar call this port in plain text, e.g. through a NodePort or a
   * monitoring scraper outside the mesh. Strict mutual TLS must then keep the port open
   * (`MutualTls.strict({ permissivePorts })`), and an allow-list would deny these clients (they
   * carry no identity), so both are checked at synthesis.
   *
   * @default false
   */
  readonly plainTextClients?: boolean;
}
