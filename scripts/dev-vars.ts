// Local secrets for `wrangler dev`: made once per clone in .dev.vars (git-ignored, mode 0600), random
// values. A value the Worker would refuse (shorter than 32 bytes) is replaced.
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

export const DEV_VARS = ".dev.vars";
const MIN_BYTES = 32;

export type DevSecrets = { AUTH_SECRET: string; ADMIN_API_KEY: string; CREDENTIALS_KEY: string; GHL_SSO_KEY: string };

export function parseDevVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*"?(.*?)"?\s*$/);
    if (m?.[1]) out[m[1]] = m[2] ?? "";
  }
  return out;
}

export function readDevVars(): Record<string, string> {
  return existsSync(DEV_VARS) ? parseDevVars(readFileSync(DEV_VARS, "utf8")) : {};
}

/** Writes .dev.vars readable by its owner only: it holds every local secret. */
export function writeDevVars(values: Record<string, string>): void {
  const lines = Object.entries(values).map(([k, v]) => `${k}="${v}"`);
  writeFileSync(DEV_VARS, `# Local-only secrets made by npm start. Never commit.\n${lines.join("\n")}\n`, { mode: 0o600 });
  chmodSync(DEV_VARS, 0o600);
}

const longEnough = (v: string | undefined) => v !== undefined && Buffer.byteLength(v) >= MIN_BYTES;

export function ensureDevSecrets(): DevSecrets {
  const existing = readDevVars();
  const secrets: DevSecrets = {
    AUTH_SECRET: longEnough(existing.AUTH_SECRET) ? existing.AUTH_SECRET! : randomBytes(32).toString("base64url"),
    ADMIN_API_KEY: longEnough(existing.ADMIN_API_KEY) ? existing.ADMIN_API_KEY! : `dev-admin-${randomBytes(32).toString("base64url")}`,
    CREDENTIALS_KEY: existing.CREDENTIALS_KEY || randomBytes(32).toString("base64"),
    // Stands in for the GoHighLevel app's Shared Secret (custom-page SSO) locally.
    GHL_SSO_KEY: existing.GHL_SSO_KEY || randomUUID(),
  };
  const merged = { ...existing, ...secrets };
  if (Object.entries(secrets).some(([k, v]) => existing[k] !== v)) writeDevVars(merged);
  else if (existsSync(DEV_VARS)) chmodSync(DEV_VARS, 0o600);
  return secrets;
}
