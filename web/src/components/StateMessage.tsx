// Loading / empty / error panels shown in place of (or under) content.
import type { ApiError } from "../api/client";
import { t } from "../i18n";

export function LoadingMessage({ text = t.loading }: { text?: string }) {
  return (
    <p className="state" role="status" data-testid="loading">
      {text}
    </p>
  );
}

export function EmptyMessage({ query }: { query: string }) {
  return (
    <p className="state" role="status" data-testid="empty">
      {query ? t.emptySearch(query) : t.empty}
    </p>
  );
}

/** A 401 cannot be retried from here (the CRM must mint a new token), so it gets no Retry button. */
export function ErrorMessage({ error, onRetry, title = t.errorTitle }: { error: ApiError; onRetry?: () => void; title?: string }) {
  const text = error.status === 401 ? t.unauthorized : error.status === 0 ? t.networkError : error.message;
  return (
    <div className="state state-error" role="alert" data-testid="error" data-status={error.status}>
      <p>
        <strong>{title}</strong> {text}
      </p>
      {onRetry && error.status !== 401 && (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      )}
    </div>
  );
}
