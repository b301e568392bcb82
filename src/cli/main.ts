import { runCli } from './run-cli';

// entry point of bin/cdk8s-istio-traffic; exitCode (not exit()) lets piped stdout drain first
process.exitCode = runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
