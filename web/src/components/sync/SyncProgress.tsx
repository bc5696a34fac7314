// Progress of the running sync, one line per kind: pages, records (of the estimate), requests,
// current requests/s and the time left.
import type { SyncRunView } from "../../../../shared/schemas/sync";
import type { RpsSample } from "../../hooks/useSyncStatus";
import { formatDecimal, formatDuration, formatNumber, t } from "../../i18n";
import { LiveRpsChart } from "./LiveRpsChart";

function RunProgress({ run }: { run: SyncRunView }) {
  const total = run.total_estimate;
  const pct = total ? Math.min(100, Math.round((run.entities_seen / total) * 100)) : null;
  return (
    <div className="run-progress" data-testid="sync-progress-run" data-kind={run.kind} data-status={run.status}>
      <div className="run-progress-head">
        <strong>{t.syncPanel.kinds[run.kind]}</strong>
        <span className="muted">{t.syncPanel.runStatus[run.status]}</span>
      </div>
      <progress
        max={100}
        value={pct ?? undefined}
        aria-label={`${t.syncPanel.progress}: ${t.syncPanel.kinds[run.kind]}`}
      />
      <dl className="stats">
        <div><dt>{t.syncPanel.pages}</dt><dd data-testid="sync-pages">{formatNumber(run.pages_done)}</dd></div>
        <div>
          <dt>{t.syncPanel.entities}</dt>
          <dd data-testid="sync-entities">
            {formatNumber(run.entities_seen)}
            {total !== null && ` / ${formatNumber(total)}`}
          </dd>
        </div>
        <div><dt>{t.syncPanel.requests}</dt><dd data-testid="sync-requests">{formatNumber(run.requests)}</dd></div>
        <div><dt>{t.syncPanel.rps}</dt><dd data-testid="sync-rps">{formatDecimal(run.current_rps)}</dd></div>
        <div>
          <dt>{t.syncPanel.eta}</dt>
          <dd>{run.eta_seconds === null ? t.syncPanel.etaUnknown : formatDuration(run.eta_seconds * 1000)}</dd>
        </div>
      </dl>
    </div>
  );
}

/** `limit`: the location's requests-per-second limit (sync status; null if its setting is invalid). */
export default function SyncProgress({ runs, samples, limit }: { runs: SyncRunView[]; samples: RpsSample[]; limit: number | null }) {
  const active = runs.filter((r) => r.status === "queued" || r.status === "running");
  if (active.length === 0) return null;
  return (
    <section className="sync-progress" aria-label={t.syncPanel.progress} data-testid="sync-progress">
      {active.map((run) => (
        <RunProgress key={run.id} run={run} />
      ))}
      <LiveRpsChart samples={samples} limit={limit} />
    </section>
  );
}
