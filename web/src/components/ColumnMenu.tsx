// Show/hide columns: a native <details> disclosure (keyboard and screen-reader friendly for free)
// with one labelled checkbox per hideable column, and a reset of widths and visibility.
import type { TableLayout } from "../hooks/useTableLayout";
import { t } from "../i18n";
import { columns } from "../table/columns";

export function ColumnMenu({ layout }: { layout: TableLayout }) {
  const { columnVisibility, setColumnVisibility, reset } = layout;
  return (
    <details className="menu" data-testid="column-menu">
      <summary title={t.columnsMenuHint}>{t.columnsMenu}</summary>
      <fieldset className="menu-body">
        <legend className="sr-only">{t.columnsMenuHint}</legend>
        {columns.map((c) => {
          const id = c.id ?? "";
          if (c.enableHiding === false || !id) return null;
          const visible = columnVisibility[id] !== false;
          return (
            <label key={id} className="menu-item">
              <input
                type="checkbox"
                checked={visible}
                onChange={(e) => setColumnVisibility((old) => ({ ...old, [id]: e.target.checked }))}
                data-testid={`toggle-column-${id}`}
              />
              {c.meta?.label ?? id}
            </label>
          );
        })}
        <button type="button" className="link-button" onClick={reset} data-testid="reset-columns">
          {t.resetColumns}
        </button>
      </fieldset>
    </details>
  );
}
