import { keyValue, OptionSpec, parseArgs, UsageError } from './args';
import { CliIo } from './io';
import { ROUTE_USAGE } from './usage';
import { readManifestFiles } from '../manifests/manifest-files';
import { RouteSimulator } from '../simulator/route-simulator';
import { RequestProtocol, RouteDestination, RouteResult, SimulatedRequest } from '../simulator/types';

const SPEC: OptionSpec = {
  'help': 'flag',
  'gateway': 'value',
  'from-namespace': 'value',
  'from-label': 'list',
  'from-service-account': 'value',
  'host': 'value',
  'port': 'value',
  'path': 'value',
  'method': 'value',
  'header': 'list',
  'cookie': 'value',
  'tcp': 'flag',
  'json': 'flag',
};

/** `route`: simulates one request and prints where it goes. */
export function routeCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, SPEC, 'route');
  if (args.flags.has('help')) {
    io.stdout.write(ROUTE_USAGE);
    return 0;
  }
  const request = requestFrom(args.values, args.lists, args.flags);
  if (args.positionals.length === 0) {
    throw new UsageError('no manifest files or folders given', 'route');
  }
  const result = new RouteSimulator(readManifestFiles(args.positionals)).route(request);
  io.stdout.write(args.flags.has('json') ? `${JSON.stringify(result, undefined, 2)}\n` : formatRouteResult(result));
  return 0;
}

function requestFrom(values: Map<string, string>, lists: Map<string, string[]>, flags: Set<string>): SimulatedRequest {
  const host = values.get('host');
  if (!host) {
    throw new UsageError("option '--host' is required", 'route');
  }
  let port: number | undefined;
  if (values.has('port')) {
    const text = values.get('port')!;
    port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
      throw new UsageError(`option '--port' expects a port number 1-65535, got '${text}'`, 'route');
    }
  }
  const gateway = values.get('gateway');
  if (gateway !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(gateway)) {
    throw new UsageError(`option '--gateway' expects namespace/name, got '${gateway}'`, 'route');
  }
  const labels = lists.get('from-label')?.map((l) => keyValue(l, 'from-label', 'route'));
  const headers: Record<string, string> = {};
  for (const h of lists.get('header') ?? []) {
    const [k, v] = keyValue(h, 'header', 'route');
    const name = k.toLowerCase();
    // repeated headers reach Envoy joined with `,` (cookies with `; `)
    headers[name] = headers[name] === undefined ? v : `${headers[name]}${name === 'cookie' ? '; ' : ','}${v}`;
  }
  const cookie = values.get('cookie');
  if (cookie !== undefined) {
    headers.cookie = headers.cookie === undefined ? cookie : `${headers.cookie}; ${cookie}`;
  }
  return {
    host,
    gateway,
    sourceNamespace: values.get('from-namespace'),
    sourceLabels: labels ? Object.fromEntries(labels) : undefined,
    sourceServiceAccount: values.get('from-service-account'),
    port,
    path: values.get('path'),
    method: values.get('method'),
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    protocol: flags.has('tcp') ? RequestProtocol.TCP : undefined,
  };
}

/**
 * The result for a terminal: outcome and status first, then where traffic goes and why.
 */
export function formatRouteResult(result: RouteResult): string {
  const lines: string[] = [`outcome: ${result.outcome}`, `status: ${result.statusCode}`];
  if (result.destinations.length > 0) {
    lines.push('destinations:');
    result.destinations.forEach((d) => lines.push(`  ${destinationLine(d)}`));
  }
  if (result.mirrors.length > 0) {
    lines.push('mirrors:');
    result.mirrors.forEach((d) => lines.push(`  ${destinationLine(d)}`));
  }
  if (result.path !== undefined) {
    lines.push(`path: ${result.path}`);
  }
  if (result.authority !== undefined) {
    lines.push(`authority: ${result.authority}`);
  }
  if (result.redirectLocation !== undefined) {
    lines.push(`location: ${result.redirectLocation}`);
  }
  if (result.body !== undefined) {
    lines.push(`body: ${result.body}`);
  }
  if (result.rule) {
    const r = result.rule;
    const kind = r.resourceKind ?? 'VirtualService';
    const gatewayApi = kind !== 'VirtualService';
    const match = r.matchIndex === undefined ? '' : `.${gatewayApi ? 'matches' : 'match'}[${r.matchIndex}]`;
    lines.push(`rule: ${kind} ${r.namespace}/${r.name} ${gatewayApi ? 'rules' : r.kind}[${r.ruleIndex}]${match}`);
  } else {
    lines.push('rule: none');
  }
  if (result.deniedBy) {
    lines.push(`denied by: AuthorizationPolicy ${result.deniedBy.join(', ')}`);
  }
  if (result.reason) {
    lines.push(`reason: ${result.reason}`);
  }
  result.notes.forEach((n) => lines.push(`note: ${n}`));
  return `${lines.join('\n')}\n`;
}

function destinationLine(d: RouteDestination): string {
  const port = d.port === undefined ? '' : `:${d.port}`;
  const subset = d.subset ? ` subset ${d.subset}` : ' (all endpoints)';
  const share = `${Number(d.percentage.toFixed(2))}%`;
  return `${share} → ${d.host}${port}${subset}${d.healthy ? '' : ` UNHEALTHY: ${d.problem}`}`;
}
