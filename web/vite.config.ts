// Builds the widget into web/dist, which the Worker serves as static assets (wrangler.toml [assets]).
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { apiReferenceScript } from "./build/api-reference-plugin";
import { bootScript } from "./build/boot-plugin";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react(), bootScript(), apiReferenceScript()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    // `vite` dev server: forward the API to a local `wrangler dev` (override with CRM_EDGE_API).
    proxy: { "/api": process.env.CRM_EDGE_API ?? "http://127.0.0.1:8787" },
  },
});
