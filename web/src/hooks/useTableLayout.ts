// Column visibility and widths, remembered per user (the token's `sub`) and location, so the layout
// a user chose comes back after a reload or the next time the CRM opens the widget.
import type { ColumnSizingState, ColumnVisibilityState } from "@tanstack/react-table";
import { useCallback } from "react";
import { isBooleanMap, isNumberMap, layoutKey, sizingKey, visibilityKey } from "../table/layout-store";
import { useStoredState } from "./useStoredState";

export function useTableLayout(sub: string, locationId: string) {
  const base = layoutKey(sub, locationId);
  const [columnVisibility, setColumnVisibility] = useStoredState<ColumnVisibilityState>(visibilityKey(base), {}, isBooleanMap);
  const [columnSizing, setColumnSizing] = useStoredState<ColumnSizingState>(sizingKey(base), {}, isNumberMap);
  const reset = useCallback(() => {
    setColumnVisibility({});
    setColumnSizing({});
  }, [setColumnVisibility, setColumnSizing]);
  return { columnVisibility, setColumnVisibility, columnSizing, setColumnSizing, reset };
}

export type TableLayout = ReturnType<typeof useTableLayout>;
