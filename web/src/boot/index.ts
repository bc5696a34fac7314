// The inline boot script (built into index.html by web/build/boot-plugin.ts). On a fragment token it
// requests the first page at once, paints a static preview of the widget with the first rows when
// the page lands, and only then downloads and starts the app bundle: compiling and running it holds
// the main thread (and, on 2 cores, the rasteriser's CPU) for 150–250 ms that the first rows would
// otherwise wait behind (docs/benchmarks.md, bench:web).
import { warmFormatters } from "../i18n";
import { startFirstPage } from "./first-page";
import { PREVIEW_TIMING_ID, appHasTakenOver } from "./handoff";
import { paintPreview } from "./preview";
import { readPreviewPage } from "./preview-data";

/** Start the app by this time after navigation even if the first page has not answered. */
const APP_START_DEADLINE_MS = 300;
/** Start the app this long after painting the rows if the browser never reports their paint. */
const PAINT_REPORT_WAIT_MS = 150;

const entry = document.currentScript?.dataset.appEntry ?? null;
let started = false;
function startApp(): void {
  if (started || !entry) return;
  started = true;
  void import(/* @vite-ignore */ entry);
}

/** Element Timing (Chromium) says when the first row reached the screen; elsewhere, two frames. */
function startAppOncePainted(): void {
  if (PerformanceObserver.supportedEntryTypes?.includes("element")) {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => (e as PerformanceEntry & { identifier?: string }).identifier === PREVIEW_TIMING_ID)) {
        observer.disconnect();
        startApp();
      }
    });
    observer.observe({ type: "element", buffered: true });
    setTimeout(startApp, PAINT_REPORT_WAIT_MS);
  } else {
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(startApp, 0)));
  }
}

function whenBodyExists(then: () => void): void {
  if (document.body) then();
  else document.addEventListener("DOMContentLoaded", then, { once: true });
}

const first = startFirstPage(window.location.hash);
if (!first || typeof PerformanceObserver === "undefined") {
  startApp();
} else {
  // The first Intl formatter of a page loads locale data (tens of ms): do it while the request flies.
  warmFormatters();
  const deadline = setTimeout(startApp, Math.max(0, APP_START_DEADLINE_MS - performance.now()));
  void first.page.response
    .then((res) => (res.ok ? res.clone().json() : null))
    .then((json: unknown) => {
      const page = readPreviewPage(json);
      if (!page || page.rows.length === 0 || appHasTakenOver()) return startApp();
      // One frame with the rows in it: on this class of machine every frame costs ~100 ms, so the
      // frame is not painted ahead empty (measured: that made the first row later).
      whenBodyExists(() => {
        paintPreview(first.token, first.locationId, page);
        clearTimeout(deadline);
        startAppOncePainted();
      });
    })
    .catch(() => startApp()) // the app makes the same request and reports what went wrong
    .finally(() => clearTimeout(deadline));
}
