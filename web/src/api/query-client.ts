// The widget's one TanStack Query client and the policies every query shares: which failures are
// retried and how long to wait between tries, and how a poll slows down after a failure. Pausing
// while the page is hidden is Query's own: interval refetches and retries wait while
// `document.visibilityState` is "hidden", and a stale query refetches when the page shows again.
import { QueryClient } from "@tanstack/react-query";
import { ApiFailure } from "./http";
import { backoffDelay, isTransient } from "./retry";

declare module "@tanstack/react-query" {
  interface Register {
    // Query functions throw ApiFailure (api/http.ts dataOf), so `error` is typed as one.
    defaultError: ApiFailure;
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // What the user waits for (a page, a contact): two more tries of a transient failure, then the error and its Retry button.
        retry: (failures, error) => failures < 2 && isTransient(error),
        retryDelay: backoffDelay,
      },
    },
  });
}
