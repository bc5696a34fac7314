// One section of related records (tasks, notes, conversations, opportunities). Their shapes are the
// upstream CRM's, so each kind names the fields it shows; values render as text, never as HTML.
import { formatDate, formatNumber, t } from "../../i18n";

export type RelatedKind = "tasks" | "notes" | "conversations" | "opportunities";
type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null);
const date = (v: unknown): string | null => {
  if (typeof v === "number") return formatDate(new Date(v).toISOString());
  return typeof v === "string" && v ? formatDate(v) : null;
};

/** Title and detail line of a record of each kind. */
const DESCRIBE: Record<RelatedKind, (r: Row) => { title: string; detail: (string | null)[] }> = {
  tasks: (r) => ({
    title: str(r.title) ?? str(r.body) ?? "",
    detail: [r.completed === true ? t.drawer.completed : null, date(r.dueDate) ? t.drawer.due(date(r.dueDate) ?? "") : null],
  }),
  notes: (r) => ({ title: str(r.body) ?? "", detail: [date(r.dateAdded)] }),
  conversations: (r) => ({ title: str(r.lastMessageBody) ?? str(r.type) ?? "", detail: [str(r.lastMessageType), date(r.lastMessageDate)] }),
  opportunities: (r) => ({
    title: str(r.name) ?? "",
    detail: [str(r.status), typeof r.monetaryValue === "number" ? formatNumber(r.monetaryValue) : null],
  }),
};

export function RelatedList({ kind, records }: { kind: RelatedKind; records: Row[] }) {
  const headingId = `related-${kind}`;
  return (
    <section className="related" aria-labelledby={headingId} data-testid={`related-${kind}`} data-count={records.length}>
      <h3 id={headingId}>
        {t.drawer[kind]} <span className="muted">({records.length})</span>
      </h3>
      {records.length === 0 ? (
        <p className="muted">{t.drawer.none}</p>
      ) : (
        <ul>
          {records.map((r, i) => {
            const { title, detail } = DESCRIBE[kind](r);
            return (
              <li key={str(r.id) ?? i}>
                <span className="related-title">{title}</span>
                <span className="muted"> {detail.filter(Boolean).join(" · ")}</span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
