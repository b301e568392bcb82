import * as path from 'path';
import { Baseline, readBaseline } from './baseline';
import { inspectOutputFolder, refuseDangerousLocation } from './output-folder';
import { recoverInterruptedWrite, StagedOutput } from './output-swap';

/** How an output folder is judged before it is replaced. */
export interface SafeOutputOptions {
  /** Compare with the baseline and refuse unsafe changes (default true). */
  readonly checkRetirement?: boolean;
  /** The Git ref of the baseline (default `HEAD`, which may not exist yet). */
  readonly baselineRef?: string;
  /** Files besides manifests that the baseline should carry (relative `/` paths). */
  readonly baselineFiles?: (file: string) => boolean;
}

/** What a synthesis wants written, and why it must not be. */
export interface RenderedOutput {
  /** Relative `/` path -> content. */
  readonly files: Map<string, string>;
  /** Why the change is unsafe compared with the baseline; empty when it is safe. */
  readonly problems: string[];
}

/**
 * Where a render may hand over files before it has finished: they are written into the staging
 * folder while it goes on, and are discarded with it when it fails or the change is unsafe.
 */
export interface EarlyFiles {
  /** Lists every file `write` may be given (more than the output holds is fine); once, before any `write`. */
  list(files: Iterable<string>): void;
  /** Writes one listed file of the output. */
  write(file: string, content: string): void;
}

/**
 * The one way GitOps output reaches the disk: refuses dangerous or foreign folders, finishes an
 * interrupted write, reads the baseline, lets `render` produce the files and judge them against it,
 * and replaces the folder all or nothing. Nothing is touched when anything throws.
 */
export function writeOutputSafely(
  outdir: string, options: SafeOutputOptions, render: (baseline: Baseline | undefined, early: EarlyFiles) => RenderedOutput,
): void {
  const dir = path.resolve(outdir);
  refuseDangerousLocation(dir);
  recoverInterruptedWrite(dir);
  const current = inspectOutputFolder(dir);
  const check = options.checkRetirement ?? true;
  const baseline = check ? readBaseline(dir, options.baselineRef ?? 'HEAD', options.baselineRef !== undefined, options.baselineFiles) : undefined;
  let staged: StagedOutput | undefined;
  const early: EarlyFiles = {
    list: (files) => {
      staged = new StagedOutput(current, files);
    },
    write: (file, content) => staged!.write(file, content),
  };
  let output: RenderedOutput;
  try {
    output = render(baseline, early);
    if (baseline && output.problems.length > 0) {
      throw new Error(`unsafe change in ${outdir} compared with ${baseline.description}:\n  ${output.problems.join('\n  ')}\nthe output folder was left as it was`);
    }
  } catch (e) {
    discardQuietly(staged);
    throw e;
  }
  (staged ?? new StagedOutput(current, output.files.keys())).commit(output.files);
}

/** Removes what was staged; a failure to do so must not hide the error that stopped the synthesis (the next one removes it). */
function discardQuietly(staged: StagedOutput | undefined): void {
  try {
    staged?.discard();
  } catch {
    // recoverInterruptedWrite removes the rest at the next synthesis
  }
}
