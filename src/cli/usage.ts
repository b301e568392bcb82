/**
 * Help texts. Kept in one place so `--help` and the usage errors always agree.
 */

export const TOOL = 'cdk8s-istio-traffic';

export const TOOL_USAGE = `usage: ${TOOL} <command> [options] <file-or-dir>...

Works on Kubernetes manifests: files or folders (searched recursively for .yaml/.yml,
following symbolic links), multi-document YAML read as kubectl reads it, synthesized by cdk8s
or written by hand.

commands:
  route   where Istio sends one request (offline route simulation)
  plan    the traffic plan: who goes where, per service (Markdown + Mermaid)
  check   static analysis of the Istio configuration; exit code 1 on any ERROR
  diff    what moves between two outputs, and whether applying it is safe; exit code 1 if not

options:
  -h, --help   show help (also: ${TOOL} <command> --help)

exit codes: 0 success, 1 check found errors or diff found an unsafe change, 2 usage or input error
`;

export const ROUTE_USAGE = `usage: ${TOOL} route [options] --host <host> <file-or-dir>...

Simulates one request and prints the outcome, the status, the destinations with their share,
the path sent upstream and the VirtualService or Gateway API route rule that decided; a request the called pods'
AuthorizationPolicies deny is FORBIDDEN (403), naming the policy.

where the request comes from (default: a pod without labels in namespace default):
  --gateway <ns/name>        enter through this Istio Gateway (or Gateway API Gateway of class istio)
  --from-namespace <ns>      namespace of the calling pod (with --gateway: of the gateway pod)
  --from-label <k=v>         label of the calling pod (with --gateway: of the gateway pod); repeatable
  --from-service-account <name>
                             service account of the calling pod (with --gateway: of the gateway pod),
                             its mesh identity for AuthorizationPolicies (default: that of the workload
                             carrying the labels, else default)

the request:
  --host <host>              Host / :authority (HTTP) or service host (TCP); required
  --port <n>                 destination or gateway server port (default: 80 for HTTP)
  --path <path>              path with optional ?query (default: /)
  --method <method>          HTTP method (default: GET)
  --header <k=v>             request header; repeatable
  --cookie <'a=b; c=d'>      cookie header
  --tcp                      a TCP connection instead of an HTTP request

output:
  --json                     print the full RouteResult as JSON
  -h, --help                 show this help
`;

export const PLAN_USAGE = `usage: ${TOOL} plan [options] <file-or-dir>...

Prints the traffic plan: per service, every entry point (gateway with hosts, or mesh), its rules
in the order Istio evaluates them and where each rule sends traffic. Markdown tables, each
followed by its Mermaid diagram, the same text as TRAFFIC.md.

options:
  --mermaid                  print only one Mermaid flowchart of the whole plan
  -h, --help                 show this help
`;

export const CHECK_USAGE = `usage: ${TOOL} check [options] <file-or-dir>...

Analyzes the Istio and Gateway API configuration and prints each finding (severity, code, object,
message, fix).
Exit code 1 when any finding is an ERROR, 0 otherwise.

options:
  --known-gateway <ns/name>  a Gateway that exists outside the given manifests; repeatable
  --known-host <host>        a destination host that exists outside the given manifests; repeatable
  --ignore <code>            leave out findings with this code, e.g. IST0118; repeatable
  --json                     print the findings as JSON
  -h, --help                 show this help
`;

export const DIFF_USAGE = `usage: ${TOOL} diff [options] <base> <head>

Compares two synthesized outputs: the traffic-plan rows that change (- removed, + added,
~ another share) and the safety verdict of applying <head> where <base> is live. Unsafe: a
version, subset, Service or workload removed while <base> still routes traffic to it, or a route
to a subset created in the same change without ArgoCD sync waves or the Flux base/routes layout
to apply the subset first. Exit code 1 when unsafe.

Each side is a folder, or <ref>:<folder> for the folder as committed in Git at <ref>
(for example origin/main:deploy), the folder relative to the current directory.

options:
  --dir <folder>             both sides are Git refs of this folder: diff --dir deploy main HEAD
  -h, --help                 show this help
`;
