// The last sync runs with their metrics and the requests-per-second chart (lazy-loaded panel).
import type { SyncRunView } from "../../../../shared/schemas/sync";
import type { Api } from "../../api/client";
import { useSyncRuns } from "../../hooks/useSyncRuns";
import { formatDate, formatDecimal, formatDuration, formatNumber, t } from "../../i18n";
import { ErrorMessage, LoadingMessage } from "../StateMessage";
import { RpsChart } from "./RpsChart";
import { figuresOf } from "./runMetrics";


function RunItem({ run }: { run: SyncRunView }) {
  const f = figuresOf(run);
  const dash = (v: number | null, fmt = formatNumber) => (v === null ? "—" : fmt(v));
  return (
    <li className="run" data-testid="sync-run" data-run-id={run.id} data-status={run.status} data-kind={run.kind}>
      <div className="run-head">
        <strong>{t.syncPanel.kinds[run.kind]}</strong>
        <span className={`pill pill-${run.status}`}>{t.syncPanel.runStatus[run.status]}</span>
        <span className="muted small">{formatDate(run.started_at ?? run.queued_at)}</span>
      </div>
      <dl className="stats">
        <div><dt>{t.syncPanel.entities}</dt><dd>{formatNumber(run.entities_seen)}</dd></div>
        <div><dt>{t.syncPanel.requests}</dt><dd data-testid="run-requests">{formatNumber(run.requests)}</dd></div>
        <div><dt>{t.runs.avg}</dt><dd data-testid="run-avg">{dash(f.avgRps, formatDecimal)}</dd></div>
        <div><dt>{t.runs.peak}</dt><dd>{dash(f.peakRps)}</dd></div>
        <div><dt>{t.runs.throttled}</dt><dd>{formatNumber(run.throttled)}</dd></div>
        <div><dt>{t.runs.duration}</dt><dd>{f.durationMs === null ? "—" : formatDuration(f.durationMs)}</dd></div>
      </dl>
      {(f.created !== null || f.updated !== null) && (
        <p className="muted small">
          {dash(f.created)} {t.runs.created} · {dash(f.updated)} {t.runs.updated} · {dash(f.deleted)} {t.runs.deleted}
        </p>
      )}
      {run.reconcile === "skipped" && (
        <p className="muted small" data-testid="run-reconcile-skipped">
          <span className="pill pill-cancelled">{t.runs.reconcileSkipped}</span> {run.reconcile_reason}
        </p>
      )}
      {run.error && <p className="error-text">{run.error.message}</p>}
    </li>
  );
}

/** `limit`: the location's requests-per-second limit (sync status), null until known. */
type Props = { api: Api; locationId: string; syncing: boolean; limit: number | null };

export default function SyncRuns({ api, locationId, syncing, limit }: Props) {
  const { runs, error, retry } = useSyncRuns(api, locationId, syncing);
  return (
    <section className="panel" aria-labelledby="runs-title" data-testid="sync-runs">
      <h2 id="runs-title" className="panel-title">{t.runs.title}</h2>
      {error && !runs && <ErrorMessage error={error} onRetry={retry} />}
      {!runs && !error && <LoadingMessage text={t.runs.loading} />}
      {runs && runs.length === 0 && <p className="state">{t.runs.empty}</p>}
      {runs && runs.length > 0 && (
        <>
          <RpsChart runs={runs} limit={limit} />
          <ul className="runs">
            {runs.map((run) => (
              <RunItem key={run.id} run={run} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
