// A column's resize grip: drag with the mouse/touch (TanStack's handler) or focus it and use the
// arrow keys (10 px a step, Shift for 50), so resizing does not need a pointer.
import type { KeyboardEvent } from "react";
import { t } from "../i18n";
import { MAX_COLUMN, MIN_COLUMN } from "../table/columns";

type Props = {
  columnId: string;
  label: string;
  size: number;
  resizing: boolean;
  onPointerStart: (event: unknown) => void;
  onResizeBy: (columnId: string, delta: number) => void;
};

export function ResizeHandle({ columnId, label, size, resizing, onPointerStart, onResizeBy }: Props) {
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 50 : 10;
    if (e.key === "ArrowRight") onResizeBy(columnId, step);
    else if (e.key === "ArrowLeft") onResizeBy(columnId, -step);
    else return;
    e.preventDefault();
  };
  return (
    // A focusable separator is the ARIA pattern for a splitter (a widget role, unlike a static one).
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={t.resizeColumn(label)}
      aria-valuenow={Math.round(size)}
      aria-valuemin={MIN_COLUMN}
      aria-valuemax={MAX_COLUMN}
      tabIndex={0}
      className={`resize-handle${resizing ? " resizing" : ""}`}
      onMouseDown={onPointerStart}
      onTouchStart={onPointerStart}
      onKeyDown={onKeyDown}
      onClick={(e) => e.stopPropagation()}
      data-testid={`resize-${columnId}`}
    />
  );
}
