// The sync bar above the table: badge · last synced · total and the Refresh button.
// The running sync's progress lives in the side column (SyncProgress), so the table never moves
// when a sync starts or ends.
import type { ApiError } from "../../api/client";
import type { SyncBadgeState, SyncStatusView } from "../../hooks/useSyncStatus";
import { useNow } from "../../hooks/useNow";
import { formatCount, formatRelative, t } from "../../i18n";
import { SyncBadge } from "../SyncBadge";
import { ErrorMessage } from "../StateMessage";

type Props = {
  badge: { state: SyncBadgeState; message: string };
  status: SyncStatusView | null;
  total: number | null;
  starting: boolean;
  startError: ApiError | null;
  /** null: the token may not start syncs (no button). */
  onRefresh: (() => void) | null;
  newerAvailable: boolean;
  onReload: () => void;
};

export function SyncPanel({ badge, status, total, starting, startError, onRefresh, newerAvailable, onReload }: Props) {
  const now = useNow(30_000);
  const last = status?.last_synced_at ?? null;
  const busy = starting || badge.state === "syncing";
  return (
    <section className="sync-panel" aria-label={t.syncPanel.title} data-testid="sync-panel">
      <div className="status-line">
        <div role="status" className="status-items">
          <SyncBadge state={badge.state} message={badge.message} />
          <span data-testid="last-synced">{last ? t.lastSynced(formatRelative(last, now)) : t.neverSynced}</span>
          {total !== null && (
            <span data-testid="total-count" data-total={total}>
              {formatCount(total)}
            </span>
          )}
        </div>
        {onRefresh && (
          <button
            type="button"
            className="button"
            onClick={onRefresh}
            disabled={busy}
            aria-label={t.refreshLabel}
            data-testid="sync-refresh"
          >
            {t.refresh}
          </button>
        )}
        {newerAvailable && (
          <button type="button" className="link-button" onClick={onReload} data-testid="refresh-button">
            {t.newerData} {t.refresh}
          </button>
        )}
      </div>
      {startError && <ErrorMessage error={startError} title={t.syncPanel.startFailed} onRetry={onRefresh ?? undefined} />}
    </section>
  );
}
