// The TanStack Table v9 feature set of the contacts table. Sorting is registered for its state and
// header toggles only: rows arrive sorted from the server (manualSorting), so no sortedRowModel.
import { metaHelper, rowSortingFeature, tableFeatures } from "@tanstack/react-table";

export type ContactColumnMeta = {
  /** Visible label (also used for the sort button's accessible name). */
  label: string;
  /** Fixed width in px: rows are absolutely positioned for virtualization, so columns cannot auto-size. */
  width: number;
};

export const features = tableFeatures({
  rowSortingFeature,
  columnMeta: metaHelper<ContactColumnMeta>(),
});
export type Features = typeof features;
