// A header cell. Sortable columns get a real <button> (keyboard focusable, Enter/Space) and aria-sort.
import type { Header } from "@tanstack/react-table";
import type { ReactNode } from "react";
import type { Contact } from "../../../shared/schemas/contacts";
import { t } from "../i18n";
import type { Features } from "../table/features";

type Props = { header: Header<Features, Contact>; children: ReactNode };

const ARROWS = { asc: "▲", desc: "▼" } as const;

export function SortableHeader({ header, children }: Props) {
  const { column } = header;
  const meta = column.columnDef.meta;
  const style = { width: meta?.width };
  if (!column.getCanSort()) {
    return (
      <th scope="col" style={style}>
        {children}
      </th>
    );
  }
  const dir = column.getIsSorted();
  return (
    <th scope="col" style={style} aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}>
      <button
        type="button"
        className="sort-button"
        onClick={column.getToggleSortingHandler()}
        aria-label={t.sortBy(meta?.label ?? column.id)}
        data-testid={`sort-${column.id}`}
      >
        {children}
        <span className="sort-arrow" aria-hidden="true">
          {dir ? ARROWS[dir] : "↕"}
        </span>
      </button>
    </th>
  );
}
