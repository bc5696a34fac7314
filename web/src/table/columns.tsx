// Column definitions (v9 column helper). What a column is (label, width, sortability) lives in
// column-specs.ts; this file says how its cells render.
import { createColumnHelper } from "@tanstack/react-table";
import type { Contact } from "../../../shared/schemas/contacts";
import { formatDate, t } from "../i18n";
import { TagList } from "../components/TagList";
import { type ColumnId, columnSpec, MAX_COLUMN, MIN_COLUMN } from "./column-specs";
import { features, type Features } from "./features";

const helper = createColumnHelper<Features, Contact>();

export { MAX_COLUMN, MIN_COLUMN };

/** Header text and default width of a column; sorting is opt-in per column (only the API's sort keys). */
function labelled(id: ColumnId) {
  const { label, size, sortable, alwaysShown } = columnSpec(id);
  return { id, header: label, meta: { label }, size, minSize: MIN_COLUMN, maxSize: MAX_COLUMN, enableSorting: sortable, enableHiding: !alwaysShown };
}

/** Plain text cell with the full value as a tooltip, since cells truncate with an ellipsis. */
function Text({ value }: { value: string | null }) {
  return value ? <span title={value}>{value}</span> : null;
}

export const columns = helper.columns([
  helper.accessor("name", {
    ...labelled("name"),
    cell: (info) => {
      const name = info.getValue();
      return name ? <Text value={name} /> : <span className="muted">{t.noName}</span>;
    },
  }),
  helper.accessor("email", { ...labelled("email"), cell: (info) => <Text value={info.getValue()} /> }),
  helper.accessor("phone", { ...labelled("phone"), cell: (info) => <Text value={info.getValue()} /> }),
  helper.accessor("companyName", { ...labelled("company"), cell: (info) => <Text value={info.getValue()} /> }),
  helper.accessor("tags", { ...labelled("tags"), cell: (info) => <TagList tags={info.getValue()} /> }),
  helper.accessor("dateAdded", { ...labelled("date_added"), sortDescFirst: true, cell: (info) => formatDate(info.getValue()) }),
  helper.accessor("dateUpdated", { ...labelled("date_updated"), sortDescFirst: true, cell: (info) => formatDate(info.getValue()) }),
]);

export { features };
