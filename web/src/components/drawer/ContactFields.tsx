// The contact's own fields as a description list. Text only: names and tags come from users.
import type { Contact } from "../../../../shared/schemas/contacts";
import { formatDate, t } from "../../i18n";
import { TagList } from "../TagList";

export function ContactFields({ contact }: { contact: Contact }) {
  const rows: [string, React.ReactNode][] = [
    [t.drawer.email, contact.email],
    [t.drawer.phone, contact.phone],
    [t.drawer.company, contact.companyName],
    [t.drawer.source, contact.source],
    // biome-ignore lint/correctness/useJsxKeyInIterable: a [label, value] pair; the row rendering it below is keyed.
    [t.drawer.tags, contact.tags.length ? <TagList tags={contact.tags} /> : null],
    [t.drawer.dateAdded, formatDate(contact.dateAdded)],
    [t.drawer.dateUpdated, formatDate(contact.dateUpdated)],
  ];
  return (
    <dl className="fields" data-testid="drawer-fields">
      {rows.map(([label, value]) => (
        <div key={label} className="field">
          <dt>{label}</dt>
          <dd>{value ?? <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
