// Runs the command-line tool module given as first argument with the remaining arguments, and
// writes the process's own CPU time (user + system seconds) to stderr on exit, so the benchmark can
// tell work from waiting on a busy machine.
const main = process.argv[2];
process.argv.splice(2, 1);
process.on('exit', () => {
  const usage = process.cpuUsage();
  process.stderr.write(`\ncpu-seconds ${(usage.user + usage.system) / 1e6}\n`);
});
require(main);
