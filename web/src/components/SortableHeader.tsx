// A header cell. Sortable columns get a real <button> (keyboard focusable, Enter/Space) and aria-sort;
// every column gets a resize handle.
import type { Header } from "@tanstack/react-table";
import type { ReactNode } from "react";
import type { Contact } from "../../../shared/schemas/contacts";
import { t } from "../i18n";
import type { Features } from "../table/features";
import { ResizeHandle } from "./ResizeHandle";

type Props = { header: Header<Features, Contact>; children: ReactNode; onResizeBy: (columnId: string, delta: number) => void };

const ARROWS = { asc: "▲", desc: "▼" } as const;

export function SortableHeader({ header, children, onResizeBy }: Props) {
  const { column } = header;
  const label = column.columnDef.meta?.label ?? column.id;
  const size = header.getSize();
  const handle = (
    <ResizeHandle
      columnId={column.id}
      label={label}
      size={size}
      resizing={column.getIsResizing()}
      onPointerStart={header.getResizeHandler()}
      onResizeBy={onResizeBy}
    />
  );
  if (!column.getCanSort()) {
    return (
      <th scope="col" style={{ width: size }} data-column={column.id}>
        <span className="th-label">{children}</span>
        {handle}
      </th>
    );
  }
  const dir = column.getIsSorted();
  return (
    <th
      scope="col"
      style={{ width: size }}
      data-column={column.id}
      aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}
    >
      <button
        type="button"
        className="sort-button"
        onClick={column.getToggleSortingHandler()}
        aria-label={t.sortBy(label)}
        data-testid={`sort-${column.id}`}
      >
        {children}
        <span className="sort-arrow" aria-hidden="true">
          {dir ? ARROWS[dir] : "↕"}
        </span>
      </button>
      {handle}
    </th>
  );
}
