// Copies Scalar's prebuilt API reference (a single script) into the build, so /api/docs loads it
// from this Worker's assets: no CDN, which tests and many company networks do not reach. It is an
// asset, not part of the Worker's bundle or the widget's.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Plugin } from "vite";
import { API_REFERENCE_SCRIPT } from "../../shared/assets";

export function apiReferenceScript(): Plugin {
  return {
    name: "crm-edge-api-reference",
    apply: "build",
    generateBundle() {
      const file = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");
      this.emitFile({ type: "asset", fileName: API_REFERENCE_SCRIPT.slice(1), source: readFileSync(file) });
    },
  };
}
