// What each contacts column is (id, field, label, default width, sortability), without React: the
// TanStack column definitions (columns.tsx) and the pre-React first paint (boot/preview.ts) both
// read this list, so the preview's columns are the table's columns.
import type { Contact } from "../../../shared/schemas/contacts";
import { t } from "../i18n";

export const MIN_COLUMN = 80;
export const MAX_COLUMN = 600;

export type ColumnSpec = {
  id: string;
  field: keyof Contact & ("name" | "email" | "phone" | "companyName" | "tags" | "dateAdded" | "dateUpdated");
  label: string;
  size: number;
  sortable: boolean;
  /** Rendered through the locale's date format. */
  date?: boolean;
  /** The column every row is known by: it cannot be hidden. */
  alwaysShown?: boolean;
};

export const COLUMN_SPECS = [
  { id: "name", field: "name", label: t.columns.name, size: 200, sortable: true, alwaysShown: true },
  { id: "email", field: "email", label: t.columns.email, size: 240, sortable: false },
  { id: "phone", field: "phone", label: t.columns.phone, size: 150, sortable: false },
  { id: "company", field: "companyName", label: t.columns.company, size: 180, sortable: false },
  { id: "tags", field: "tags", label: t.columns.tags, size: 200, sortable: false },
  { id: "date_added", field: "dateAdded", label: t.columns.dateAdded, size: 170, sortable: true, date: true },
  { id: "date_updated", field: "dateUpdated", label: t.columns.dateUpdated, size: 170, sortable: true, date: true },
] as const satisfies readonly ColumnSpec[];

export type ColumnId = (typeof COLUMN_SPECS)[number]["id"];

export function columnSpec(id: ColumnId): ColumnSpec {
  const spec = COLUMN_SPECS.find((c) => c.id === id);
  if (!spec) throw new Error(`unknown column ${id}`);
  return spec;
}
