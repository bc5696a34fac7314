// The TanStack Table v9 feature set of the contacts table. Sorting is registered for its state and
// header toggles only: rows arrive sorted from the server (manualSorting), so no sortedRowModel.
// Visibility and sizing are controlled state, remembered per user (hooks/useTableLayout.ts).
import {
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  metaHelper,
  rowSortingFeature,
  tableFeatures,
} from "@tanstack/react-table";

export type ContactColumnMeta = {
  /** Visible label (also the accessible name of the sort button, resize handle and menu entry). */
  label: string;
};

export const features = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnResizingFeature,
  columnMeta: metaHelper<ContactColumnMeta>(),
});
export type Features = typeof features;
