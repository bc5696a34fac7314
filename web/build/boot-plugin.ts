// Puts the boot script (web/src/boot/index.ts) inline in index.html, where <!-- crm-edge:boot -->
// stands, so the first page is requested and previewed without waiting for any download. In a
// build the app's entry <script type="module"> goes: the boot script imports it once the preview is
// painted (in `vite` dev the entry stays a normal script). It is not preloaded either: on 2 cores
// its download and background compile held the preview back by 25–40 ms, and the app's first row
// came no sooner with it (docs/benchmarks.md, bench:web).
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

const BOOT_ENTRY = fileURLToPath(new URL("../src/boot/index.ts", import.meta.url));
const MARKER = "<!-- crm-edge:boot -->";
const ENTRY_SCRIPT = /<script type="module" crossorigin src="([^"]+)"><\/script>/;

function bootCode(): string {
  const out = buildSync({ entryPoints: [BOOT_ENTRY], bundle: true, format: "iife", minify: true, write: false, target: "es2022", platform: "browser" });
  const code = out.outputFiles[0]?.text ?? "";
  // An inline script ends at the first "</script" whatever the JavaScript means.
  if (/<\/script/i.test(code)) throw new Error("boot script contains </script");
  return code.trim();
}

export function bootScript(): Plugin {
  return {
    name: "crm-edge-boot",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        if (!html.includes(MARKER)) throw new Error(`index.html lacks ${MARKER}`);
        const entry = ctx.bundle ? ENTRY_SCRIPT.exec(html)?.[1] : undefined;
        if (ctx.bundle && !entry) throw new Error("index.html: the app's entry script was not found");
        let out = html;
        if (entry) out = out.replace(ENTRY_SCRIPT, "");
        const attr = entry ? ` data-app-entry="${entry}"` : "";
        return out.replace(MARKER, `<script${attr}>${bootCode()}</script>`);
      },
    },
  };
}
