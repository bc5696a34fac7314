// The running sync's request rate over time (one point per status poll) against the location's
// limit line (none if its setting is invalid), as inline SVG. The API leaves the per-second counts out of its run views, so the widget samples
// the runs' current_rps (a 5 s average) while it watches.
import type { RpsSample } from "../../hooks/useSyncStatus";
import { formatDecimal, formatNumber, t } from "../../i18n";

const W = 320;
const H = 70;
const PAD = { top: 8, right: 6, bottom: 6, left: 22 };

export function LiveRpsChart({ samples, limit }: { samples: RpsSample[]; limit: number | null }) {
  const top = Math.max((limit ?? 0) + 1, ...samples.map((s) => s.rps));
  const first = samples[0]?.at ?? 0;
  const span = Math.max(1, (samples.at(-1)?.at ?? 0) - first);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + ((at - first) / span) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const points = samples.map((s) => `${x(s.at).toFixed(1)},${y(s.rps).toFixed(1)}`).join(" ");
  const now = samples.at(-1)?.rps ?? 0;
  const label = `${t.syncPanel.rps}: ${formatDecimal(now)}${limit === null ? "" : ` / ${t.runs.limitLine(formatNumber(limit))}`}`;
  return (
    <figure className="chart run-progress live-chart" data-testid="live-rps" data-samples={samples.length}>
      <figcaption>{t.runs.chartTitle}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        {limit !== null && (
          <>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(limit)} y2={y(limit)} className="chart-limit" data-testid="live-rps-limit" data-limit={limit} />
            <text x={PAD.left - 3} y={y(limit) + 3} textAnchor="end" className="chart-label">{formatNumber(limit)}</text>
          </>
        )}
        <text x={PAD.left - 3} y={y(0) + 3} textAnchor="end" className="chart-label">0</text>
        {samples.length > 1 && <polyline points={points} className="chart-line" />}
      </svg>
    </figure>
  );
}
