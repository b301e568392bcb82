import * as path from 'path';

/**
 * The output folder of an app: the one given, or the one the cdk8s CLI asks for (`CDK8S_OUTDIR`,
 * from `output` in cdk8s.yaml or `--output`); both must agree, or the CLI would not find the output.
 *
 * @param owner the construct, for messages (`GitOpsApp`, `FleetApp`)
 */
export function outdirOf(owner: string, outdir: string | undefined): string {
  const fromCli = process.env.CDK8S_OUTDIR;
  if (outdir === undefined) {
    return fromCli || 'dist';
  }
  if (fromCli && path.resolve(fromCli) !== path.resolve(outdir)) {
    throw new Error(`${owner} outdir '${outdir}' is not the folder the cdk8s CLI writes to (CDK8S_OUTDIR '${fromCli}', from 'output' in cdk8s.yaml or --output): the CLI would not find the output; leave outdir out and set 'output: ${outdir}' in cdk8s.yaml, or make them the same`);
  }
  return outdir;
}
