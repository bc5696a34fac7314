// The sync badge: idle / syncing (pulsing dot) / error (with the failure) / never synced.
import type { SyncBadgeState } from "../hooks/useSyncStatus";
import { t } from "../i18n";

export function SyncBadge({ state, message }: { state: SyncBadgeState; message: string }) {
  const label = t.badge[state];
  return (
    <span className={`badge badge-${state}`} data-testid="sync-badge" data-status={state} title={message || label}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
      {state === "error" && message && <span className="badge-message">: {message}</span>}
    </span>
  );
}
