/** Where the CLI writes; `process.stdout`/`process.stderr` in the launcher, buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}
