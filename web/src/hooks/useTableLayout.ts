// Column visibility and widths, remembered per user (the token's `sub`) and location, so the layout
// a user chose comes back after a reload or the next time the CRM opens the widget.
import type { ColumnSizingState, ColumnVisibilityState } from "@tanstack/react-table";
import { useCallback } from "react";
import { useStoredState } from "./useStoredState";

function isNumberMap(v: unknown): v is Record<string, number> {
  return typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "number" && Number.isFinite(x));
}

function isBooleanMap(v: unknown): v is Record<string, boolean> {
  return typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "boolean");
}

export function layoutKey(sub: string, locationId: string): string {
  return `crm-edge:layout:v1:${sub}:${locationId}`;
}

export function useTableLayout(sub: string, locationId: string) {
  const base = layoutKey(sub, locationId);
  const [columnVisibility, setColumnVisibility] = useStoredState<ColumnVisibilityState>(`${base}:visibility`, {}, isBooleanMap);
  const [columnSizing, setColumnSizing] = useStoredState<ColumnSizingState>(`${base}:sizing`, {}, isNumberMap);
  const reset = useCallback(() => {
    setColumnVisibility({});
    setColumnSizing({});
  }, [setColumnVisibility, setColumnSizing]);
  return { columnVisibility, setColumnVisibility, columnSizing, setColumnSizing, reset };
}

export type TableLayout = ReturnType<typeof useTableLayout>;
