// The few fields the preview shows, read defensively from the first page's JSON. The app itself
// goes through the typed client; this is display-only and never trusted beyond "is it a string".
import { COLUMN_SPECS, type ColumnSpec } from "../table/column-specs";

export type PreviewRow = { id: string; cells: Record<string, string | string[] | null> };
export type PreviewPage = { total: number; rows: PreviewRow[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function cellValue(spec: ColumnSpec, contact: Record<string, unknown>): string | string[] | null {
  const v = contact[spec.field];
  if (spec.field === "tags") return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  return str(v);
}

export function readPreviewPage(json: unknown): PreviewPage | null {
  if (!isRecord(json) || !Array.isArray(json.contacts) || typeof json.total !== "number") return null;
  const rows: PreviewRow[] = [];
  for (const c of json.contacts) {
    if (!isRecord(c) || typeof c.id !== "string") return null;
    const cells: PreviewRow["cells"] = {};
    for (const spec of COLUMN_SPECS) cells[spec.id] = cellValue(spec, c);
    rows.push({ id: c.id, cells });
  }
  return { total: json.total, rows };
}
