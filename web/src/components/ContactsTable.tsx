// The contacts grid: TanStack Table v9 for the model (columns, sort, visibility, sizing), TanStack
// Virtual for rendering only the rows in view, so 25,000 loaded contacts still mean ~50 <tr> in the DOM.
import { type OnChangeFn, type SortingState, useTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useRef } from "react";
import type { Contact } from "../../../shared/schemas/contacts";
import { APP_TIMING_ID } from "../boot/handoff";
import type { TableLayout } from "../hooks/useTableLayout";
import { t } from "../i18n";
import { columns, features, MAX_COLUMN, MIN_COLUMN } from "../table/columns";
import { SortableHeader } from "./SortableHeader";

const ROW_HEIGHT = 40;
/** Start fetching the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 40;

const getRowId = (c: Contact) => c.id;

/** Element Timing reports text painted directly inside the marked element: the date cells are such. */
export const FIRST_ROW_TIMING_COLUMN = "date_added";

type Props = {
  contacts: Contact[];
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  layout: TableLayout;
  /** Called when the visible window nears the last loaded row (infinite scroll). */
  onNearEnd: () => void;
  /** A row was clicked or Enter was pressed on it. */
  onOpen: (contact: Contact) => void;
  /** Changes when a new list replaces the rows: scroll back to the top. */
  listVersion: string;
  /** Server-side total, for aria-rowcount (most rows are not in the DOM). */
  totalRows: number;
  busy: boolean;
  /** Rendered under the rows inside the scroller (loading / empty / load-more states). */
  footer?: ReactNode;
};

export function ContactsTable(props: Props) {
  const { contacts, sorting, onSortingChange, layout, onNearEnd, onOpen, listVersion, totalRows, busy, footer } = props;
  const { columnVisibility, columnSizing, setColumnVisibility, setColumnSizing } = layout;
  const table = useTable(
    {
      features,
      columns,
      data: contacts,
      getRowId,
      manualSorting: true,
      enableMultiSort: false,
      enableSortingRemoval: false,
      columnResizeMode: "onChange",
      state: { sorting, columnVisibility, columnSizing },
      onSortingChange,
      onColumnVisibilityChange: setColumnVisibility,
      onColumnSizingChange: setColumnSizing,
    },
    (state) => ({ sorting: state.sorting, columnVisibility: state.columnVisibility, columnSizing: state.columnSizing, columnResizing: state.columnResizing }),
  );
  const rows = table.getRowModel().rows;

  const resizeBy = useCallback(
    (id: string, delta: number) => {
      const current = table.getColumn(id)?.getSize() ?? 150;
      setColumnSizing((old) => ({ ...old, [id]: Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, current + delta)) }));
    },
    [table, setColumnSizing],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 10,
    // React 19: avoid flushSync during render-phase scroll updates.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - PREFETCH_ROWS) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list (listVersion) is what scrolls back to the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [listVersion]);

  const onRowKey = (e: KeyboardEvent, contact: Contact) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onOpen(contact);
    }
  };

  return (
    <div
      className="scroller"
      ref={scrollRef}
      tabIndex={-1}
      role="region"
      aria-label={t.tableLabel}
      aria-busy={busy}
      data-testid="contacts-scroller"
    >
      <table
        className="grid"
        style={{ width: table.getTotalSize() }}
        aria-rowcount={Math.max(totalRows, rows.length) + 1}
        data-testid="contacts-table"
        data-loaded={rows.length}
      >
        <thead className="grid-head">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="grid-row" aria-rowindex={1}>
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} onResizeBy={resizeBy}>
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </SortableHeader>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                className="grid-row"
                data-testid="contact-row"
                data-index={item.index}
                data-id={row.id}
                aria-rowindex={item.index + 2}
                aria-label={t.openContact(row.original.name || t.noName)}
                tabIndex={0}
                onClick={() => onOpen(row.original)}
                onKeyDown={(e) => onRowKey(e, row.original)}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    style={{ width: cell.column.getSize() }}
                    data-column={cell.column.id}
                    // Element Timing (a cell whose text is its own): bench:web reads when the first row was painted.
                    elementtiming={item.index === 0 && cell.column.id === FIRST_ROW_TIMING_COLUMN ? APP_TIMING_ID : undefined}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
