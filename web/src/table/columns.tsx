// Column definitions (v9 column helper). Adding a column later is one entry here.
import { createColumnHelper } from "@tanstack/react-table";
import type { Contact } from "../../../shared/schemas/contacts";
import { formatDate, t } from "../i18n";
import { TagList } from "../components/TagList";
import { features, type Features } from "./features";

const helper = createColumnHelper<Features, Contact>();

export const MIN_COLUMN = 80;
export const MAX_COLUMN = 600;

/** Header text and default width of a column; sorting is opt-in per column (only the API's sort keys). */
function labelled(label: string, size: number, sortable = false) {
  return { header: label, meta: { label }, size, minSize: MIN_COLUMN, maxSize: MAX_COLUMN, enableSorting: sortable };
}

/** Plain text cell with the full value as a tooltip, since cells truncate with an ellipsis. */
function Text({ value }: { value: string | null }) {
  return value ? <span title={value}>{value}</span> : null;
}

export const columns = helper.columns([
  helper.accessor("name", {
    id: "name",
    ...labelled(t.columns.name, 200, true),
    enableHiding: false,
    cell: (info) => {
      const name = info.getValue();
      return name ? <Text value={name} /> : <span className="muted">{t.noName}</span>;
    },
  }),
  helper.accessor("email", { id: "email", ...labelled(t.columns.email, 240), cell: (info) => <Text value={info.getValue()} /> }),
  helper.accessor("phone", { id: "phone", ...labelled(t.columns.phone, 150), cell: (info) => <Text value={info.getValue()} /> }),
  helper.accessor("companyName", {
    id: "company",
    ...labelled(t.columns.company, 180),
    cell: (info) => <Text value={info.getValue()} />,
  }),
  helper.accessor("tags", { id: "tags", ...labelled(t.columns.tags, 200), cell: (info) => <TagList tags={info.getValue()} /> }),
  helper.accessor("dateAdded", {
    id: "date_added",
    ...labelled(t.columns.dateAdded, 170, true),
    sortDescFirst: true,
    cell: (info) => formatDate(info.getValue()),
  }),
  helper.accessor("dateUpdated", {
    id: "date_updated",
    ...labelled(t.columns.dateUpdated, 170, true),
    sortDescFirst: true,
    cell: (info) => formatDate(info.getValue()),
  }),
]);

export { features };
