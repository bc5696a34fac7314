// Files the widget build puts next to the widget (web/vite.config.ts) for the Worker's pages to name.

/** Scalar's API reference, served from our own assets (no CDN): the /api/docs page loads it. */
export const API_REFERENCE_SCRIPT = "/assets/api-reference/scalar-standalone.js";
