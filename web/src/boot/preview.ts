// A static picture of the widget's first screen, painted from the first page before the app bundle
// has run (the bundle's start-up is most of the time to first row, see docs/benchmarks.md). Same
// elements and classes as the app's toolbar, sync bar and table, and the user's stored column
// layout, so the app replaces it without a visible jump. Text only ever goes in as textContent.
// It covers the page (position: fixed) while the app mounts underneath, and is removed by the app
// in the same commit that shows its own rows (boot/handoff.ts).
import { formatCount, formatDate, t } from "../i18n";
import { readClaims } from "../session/claims";
import { COLUMN_SPECS, MAX_COLUMN, MIN_COLUMN } from "../table/column-specs";
import { readLayout } from "../table/layout-store";
import { PREVIEW_ID, PREVIEW_TIMING_ID } from "./handoff";
import type { PreviewPage, PreviewRow } from "./preview-data";

const ROW_HEIGHT = 40;

type Shown = { id: string; label: string; width: number; date: boolean };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** appendChild for several children (the global `Element.append` type is HTMLRewriter's here). */
function add(parent: Node, ...children: Node[]): void {
  for (const child of children) parent.appendChild(child);
}

function shownColumns(token: string, locationId: string | null): Shown[] {
  const claims = readClaims(token);
  const { visibility, sizing } = readLayout(claims.sub, locationId ?? claims.loc[0] ?? "default");
  return COLUMN_SPECS.filter((c) => ("alwaysShown" in c && c.alwaysShown) || visibility[c.id] !== false).map((c) => ({
    id: c.id,
    label: c.label,
    width: Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, sizing[c.id] ?? c.size)),
    date: "date" in c && c.date === true,
  }));
}

function toolbar(): HTMLElement {
  const header = el("header", "toolbar");
  const search = el("input", "search");
  search.type = "search";
  search.placeholder = t.searchPlaceholder;
  search.disabled = true;
  const menu = el("details", "menu");
  add(menu, el("summary", undefined, t.columnsMenu));
  add(header, el("h1", "title", t.title), search, menu);
  return header;
}

function syncBar(total: number): HTMLElement {
  const section = el("section", "sync-panel");
  const line = el("div", "status-line");
  const items = el("div", "status-items");
  add(items, el("span", undefined, formatCount(total)));
  const refresh = el("button", "button", t.refresh);
  refresh.disabled = true;
  add(line, items, refresh);
  add(section, line);
  return section;
}

function cell(column: Shown, value: string | string[] | null): HTMLElement {
  const td = el("td");
  td.style.width = `${column.width}px`;
  td.dataset.column = column.id;
  if (Array.isArray(value)) {
    if (value.length === 0) return td;
    const tags = el("span", "tags");
    tags.title = value.join(", ");
    for (const tag of value) add(tags, el("span", "tag", tag));
    add(td, tags);
  } else if (value) {
    if (column.date) td.textContent = formatDate(value);
    else {
      const span = el("span", undefined, value);
      span.title = value;
      add(td, span);
    }
  } else if (column.id === "name") {
    add(td, el("span", "muted", t.noName));
  }
  return td;
}

function emptyTable(columns: Shown[]): { grid: HTMLElement; body: HTMLElement } {
  const grid = el("table", "grid");
  grid.style.width = `${columns.reduce((n, c) => n + c.width, 0)}px`;
  const head = el("thead", "grid-head");
  const headRow = el("tr", "grid-row");
  for (const c of columns) {
    const th = el("th");
    th.style.width = `${c.width}px`;
    add(th, el("span", "th-label", c.label));
    add(headRow, th);
  }
  add(head, headRow);
  const body = el("tbody", "grid-body");
  add(grid, head, body);
  return { grid, body };
}

function row(columns: Shown[], data: PreviewRow, i: number): HTMLElement {
  const tr = el("tr", "grid-row");
  tr.dataset.testid = "preview-row";
  tr.dataset.id = data.id;
  tr.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
  tr.style.height = `${ROW_HEIGHT}px`;
  for (const c of columns) add(tr, cell(c, data.cells[c.id] ?? null));
  // Element Timing (a date cell holds its text directly): the boot script and bench:web learn when
  // the first row reached the screen.
  if (i === 0) tr.querySelector('[data-column="date_added"]')?.setAttribute("elementtiming", PREVIEW_TIMING_ID);
  return tr;
}

/** Paints the widget's toolbar, sync bar and first rows over the still empty app root. */
export function paintPreview(token: string, locationId: string | null, page: PreviewPage): void {
  const overlay = el("div", "boot-preview");
  overlay.id = PREVIEW_ID;
  // A picture, not the app: assistive tech meets the real table a moment later.
  overlay.setAttribute("aria-hidden", "true");
  overlay.inert = true;
  overlay.dataset.testid = "preview";
  const columns = shownColumns(token, locationId);
  const { grid, body } = emptyTable(columns);
  body.style.height = `${page.rows.length * ROW_HEIGHT}px`;
  const fit = Math.ceil(window.innerHeight / ROW_HEIGHT);
  page.rows.slice(0, fit).forEach((r, i) => add(body, row(columns, r, i)));
  const scroller = el("div", "scroller");
  add(scroller, grid);
  const area = el("div", "table-area");
  add(area, scroller);
  const layout = el("div", "layout");
  add(layout, area);
  const main = el("main", "widget");
  add(main, toolbar(), syncBar(page.total), layout);
  add(overlay, main);
  add(document.body, overlay);
}
