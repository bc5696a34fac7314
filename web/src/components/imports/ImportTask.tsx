// One import task: status, progress bar (rows and rows/s), per-status counts, and its actions
// (cancel while it runs, resume when cancelled or failed, rejects.csv once rows were rejected).
import type { ImportTaskView } from "../../../../shared/schemas/imports";
import { formatDate, formatDecimal, formatNumber, t } from "../../i18n";

const BUCKETS = ["valid", "invalid", "blacklist", "duplicate", "error"] as const;

type Props = {
  task: ImportTaskView;
  onCancel: (id: string) => void;
  onResume: (id: string) => void;
  onRejects: (task: ImportTaskView) => void;
};

export function ImportTask({ task, onCancel, onResume, onRejects }: Props) {
  const name = task.file_name ? decodeName(task.file_name) : t.imports.untitled;
  const running = task.status === "queued" || task.status === "running";
  const rejected = task.counts.invalid + task.counts.blacklist + task.counts.duplicate + task.counts.error;
  const pct = Math.round(task.progress_percentage);
  return (
    <li
      className="task"
      data-testid="import-task"
      data-task-id={task.task_id}
      data-status={task.status}
      data-progress={pct}
      data-processed={task.processed}
      data-total={task.total}
    >
      <div className="task-head">
        <strong className="task-name" title={name}>{name}</strong>
        <span className={`pill pill-${task.status}`}>{t.imports.status[task.status]}</span>
      </div>
      <div className="progress-row">
        <progress max={100} value={pct} aria-label={t.imports.progressLabel(name)} data-testid="import-progress" />
        <span className="progress-pct">{pct}%</span>
      </div>
      <p className="muted small">
        {t.imports.processed(formatNumber(task.processed), formatNumber(task.total))}
        {task.rows_per_second !== null && ` · ${t.imports.rowsPerSecond(formatDecimal(task.rows_per_second))}`}
        {` · ${formatDate(task.created_at)}`}
      </p>
      <dl className="counts">
        {BUCKETS.map((b) => (
          <div key={b} className={`count count-${b}`}>
            <dt>{t.imports.buckets[b]}</dt>
            <dd data-testid={`count-${b}`}>{formatNumber(task.counts[b])}</dd>
          </div>
        ))}
      </dl>
      {task.blank_rows > 0 && <p className="muted small">{t.imports.blank(formatNumber(task.blank_rows))}</p>}
      {task.error && <p className="error-text">{task.error.message}</p>}
      <div className="task-actions">
        {running && (
          <button type="button" className="button" onClick={() => onCancel(task.task_id)} data-testid="import-cancel">
            {t.imports.cancel}
          </button>
        )}
        {(task.status === "cancelled" || task.status === "failed") && (
          <button type="button" className="button" onClick={() => onResume(task.task_id)} data-testid="import-resume">
            {t.imports.resume}
          </button>
        )}
        {rejected > 0 && (
          <button type="button" className="link-button" onClick={() => onRejects(task)} data-testid="import-rejects">
            {t.imports.rejects}
          </button>
        )}
      </div>
    </li>
  );
}

/** File names travel percent-encoded when they are not ASCII (api/client.ts upload). */
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
