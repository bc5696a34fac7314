// One status line: sync badge · last synced · total. role="status" so changes are announced politely.
import type { SyncMeta } from "../hooks/useContacts";
import { useNow } from "../hooks/useNow";
import { formatCount, formatRelative, t } from "../i18n";
import { SyncBadge } from "./SyncBadge";

type Props = { meta: SyncMeta; newerAvailable: boolean; onRefresh: () => void };

export function SyncStatus({ meta, newerAvailable, onRefresh }: Props) {
  const now = useNow(30_000);
  return (
    <div className="status-line">
      <div role="status" className="status-items">
        <SyncBadge status={meta.sync_status} message={meta.message} />
        <span data-testid="last-synced">
          {meta.last_synced_at ? t.lastSynced(formatRelative(meta.last_synced_at, now)) : t.neverSynced}
        </span>
        <span data-testid="total-count" data-total={meta.total}>
          {formatCount(meta.total)}
        </span>
      </div>
      {newerAvailable && (
        <button type="button" className="link-button" onClick={onRefresh} data-testid="refresh-button">
          {t.newerData} {t.refresh}
        </button>
      )}
    </div>
  );
}
