// The pre-React preview (boot/preview.ts) and the app agree through the DOM, not module state:
// they are separate bundles (an inline script and the app's entry chunk).
export const PREVIEW_ID = "crm-edge-preview";
/**
 * Element Timing identifiers on the first row's date cell: the preview's (boot/index.ts starts the
 * app once it is painted) and the app's own. bench:web and the first-paint test read them.
 */
export const PREVIEW_TIMING_ID = "preview-first-row";
export const APP_TIMING_ID = "app-first-row";
const READY_FLAG = "crmEdgeAppReady";

/** The app shows its own first rows (or its error): the preview goes, in the same commit. */
export function dismissPreview(): void {
  document.documentElement.dataset[READY_FLAG] = "1";
  document.getElementById(PREVIEW_ID)?.remove();
}

/** True once the app has taken over: a late first page must not paint a preview over it. */
export function appHasTakenOver(): boolean {
  return document.documentElement.dataset[READY_FLAG] === "1";
}
