// Bundles sandbox/ into one ES module for miniflare (tests load it as a second Worker).
import path from "node:path";
import { build } from "esbuild";

export async function bundleSandbox(): Promise<string> {
  const result = await build({
    entryPoints: [path.resolve(import.meta.dirname, "../sandbox/index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("bundleSandbox: esbuild produced no output");
  return file.text;
}
