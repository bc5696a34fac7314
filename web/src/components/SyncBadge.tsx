import type { SyncState } from "../../../shared/schemas/contacts";
import { t } from "../i18n";

// The server's message for "error" is the sync failure itself; the others have fixed labels.
const LABELS: Record<Exclude<SyncState, "error">, string> = {
  fresh: t.sync.fresh,
  background: t.sync.background,
  stale: t.sync.stale,
};

export function SyncBadge({ status, message }: { status: SyncState; message: string }) {
  const label = status === "error" ? message || t.sync.errorFallback : LABELS[status];
  return (
    <span className={`badge badge-${status}`} data-testid="sync-badge" data-status={status} title={message}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
