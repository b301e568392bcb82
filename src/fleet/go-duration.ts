import { Duration } from 'cdk8s';

/**
 * A whole-second duration the way Go's `time.Duration.String()` prints it (`0s`, `1m0s`, `1h30m0s`),
 * which is how Kurator and Flux show the durations they store.
 */
export function goDuration(where: string, what: string, duration: Duration): string {
  const ms = duration.toMilliseconds();
  if (!Number.isInteger(ms) || ms < 0 || ms % 1000 !== 0) {
    throw new Error(`${where}: invalid ${what} ${ms}ms: must be a whole number of seconds, e.g. Duration.minutes(5)`);
  }
  const total = ms / 1000;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) {
    return `${hours}h${minutes}m${rest}s`;
  }
  return minutes > 0 ? `${minutes}m${rest}s` : `${rest}s`;
}

/** Whole seconds of a Flagger duration string (`60s`, `1m`, `1m30s`); undefined when absent. */
export function seconds(where: string, text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') {
    throw new Error(`${where}: duration '${text}' is not a whole number of seconds, which Kurator needs: use whole seconds`);
  }
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
