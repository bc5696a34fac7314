// How failed requests are tried again, shared by every query (api/query-client.ts) and by the
// polling ones (sync status, runs, imports).
import { ApiFailure } from "./http";

/** The longest wait between tries of a failing request, and between polls that keep failing. */
const MAX_BACKOFF_MS = 60_000;

/** Worth asking again: no answer at all (network), rate limited, or a server fault. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiFailure)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** Waits 1 s, 2 s, 4 s … between tries (Query counts from 0), up to a minute. */
export function backoffDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
}

/**
 * For queries that poll (sync status, runs, imports): a transient failure is retried until it
 * succeeds, backing off (the error shows as `failureReason` meanwhile, the last data stays); any
 * other failure ends the fetch, and the poll then comes back only once a minute.
 */
export const polling = {
  retry: (_failures: number, error: ApiFailure) => isTransient(error),
  /** A `refetchInterval` from the data held (say, faster while something runs), slowed down after a failure. */
  every:
    <T>(intervalOf: (data: T | undefined) => number) =>
    (query: { state: { status: string; data: T | undefined } }) =>
      query.state.status === "error" ? MAX_BACKOFF_MS : intervalOf(query.state.data),
};
