// Requests per second of the last runs against the location's upstream limit (sync status's
// rate_limit_rps), as inline SVG: one bar per run for its average rate, a tick for its peak second,
// and a dashed line at the limit (none while it is unknown).
// (The API's run views leave out the per-second counts, so this is per run; see README.)
import type { SyncRunView } from "../../../../shared/schemas/sync";
import { formatDecimal, formatNumber, t } from "../../i18n";
import { figuresOf } from "./runMetrics";

const W = 320;
const H = 120;
const PAD = { top: 10, right: 8, bottom: 18, left: 26 };

export function RpsChart({ runs, limit }: { runs: SyncRunView[]; limit: number | null }) {
  const points = runs
    .filter((r) => r.status !== "queued")
    .map((r) => ({ run: r, ...figuresOf(r) }))
    .filter((p) => p.avgRps !== null)
    .reverse(); // oldest first, left to right
  const top = Math.max((limit ?? 0) + 1, ...points.map((p) => p.peakRps ?? 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(4, Math.min(28, slot * 0.6));
  const desc = limit === null ? t.runs.chartTitle : t.runs.chartDesc(formatNumber(limit));
  return (
    <figure className="chart" data-testid="rps-chart" data-points={points.length}>
      <figcaption>{t.runs.chartTitle}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={desc} preserveAspectRatio="xMidYMid meet">
        <desc>{desc}</desc>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        {(limit === null ? [0] : [0, limit]).map((v) => (
          <text key={v} x={PAD.left - 4} y={y(v) + 4} textAnchor="end" className="chart-label">
            {formatNumber(v)}
          </text>
        ))}
        {points.map((p, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const avg = p.avgRps ?? 0;
          return (
            <g key={p.run.id} data-testid="rps-bar" data-avg={avg} data-peak={p.peakRps ?? ""}>
              <title>{`${t.syncPanel.kinds[p.run.kind]}: ${formatDecimal(avg)} ${t.runs.avg}, ${formatDecimal(p.peakRps ?? 0)} ${t.runs.peak}`}</title>
              <rect x={cx - barW / 2} y={y(avg)} width={barW} height={Math.max(0, y(0) - y(avg))} className="chart-bar" />
              {p.peakRps !== null && <line x1={cx - barW / 2 - 2} x2={cx + barW / 2 + 2} y1={y(p.peakRps)} y2={y(p.peakRps)} className="chart-peak" />}
            </g>
          );
        })}
        {limit !== null && (
          <>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(limit)} y2={y(limit)} className="chart-limit" data-testid="rps-limit" data-limit={limit} />
            <text x={W - PAD.right} y={y(limit) - 3} textAnchor="end" className="chart-label chart-limit-label">
              {t.runs.limitLine(formatNumber(limit))}
            </text>
          </>
        )}
      </svg>
      <p className="chart-legend muted small">
        <span className="legend-bar" aria-hidden="true" /> {t.runs.avg} <span className="legend-peak" aria-hidden="true" /> {t.runs.peak}
      </p>
    </figure>
  );
}
