// Local secrets for `wrangler dev`: made once per clone in .dev.vars (git-ignored), random values.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const DEV_VARS = ".dev.vars";

export type DevSecrets = { AUTH_SECRET: string; ADMIN_API_KEY: string; CREDENTIALS_KEY: string; GHL_SSO_KEY: string };

function parse(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/);
    if (m?.[1]) out[m[1]] = m[2] ?? "";
  }
  return out;
}

export function ensureDevSecrets(): DevSecrets {
  const existing = existsSync(DEV_VARS) ? parse(readFileSync(DEV_VARS, "utf8")) : {};
  const secrets: DevSecrets = {
    AUTH_SECRET: existing.AUTH_SECRET || randomBytes(32).toString("base64url"),
    ADMIN_API_KEY: existing.ADMIN_API_KEY || `dev-admin-${randomBytes(12).toString("base64url")}`,
    CREDENTIALS_KEY: existing.CREDENTIALS_KEY || randomBytes(32).toString("base64"),
    // Stands in for the GoHighLevel app's Shared Secret (custom-page SSO) locally.
    GHL_SSO_KEY: existing.GHL_SSO_KEY || randomUUID(),
  };
  const merged = { ...existing, ...secrets };
  if (Object.entries(secrets).some(([k, v]) => existing[k] !== v)) {
    const lines = Object.entries(merged).map(([k, v]) => `${k}="${v}"`);
    writeFileSync(DEV_VARS, `# Local-only secrets made by npm start. Never commit.\n${lines.join("\n")}\n`);
  }
  return secrets;
}
