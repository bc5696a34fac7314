// .dev.vars, as `npm start` writes it: readable by its owner only, and never with a secret the
// Worker would refuse (shorter than 32 bytes): such a value from an older clone is replaced.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEV_VARS, ensureDevSecrets, parseDevVars } from "../../scripts/dev-vars";

let previous: string;
beforeEach(() => {
  previous = process.cwd();
  process.chdir(mkdtempSync(path.join(tmpdir(), "crm-edge-devvars-")));
});
afterEach(() => process.chdir(previous));

describe(".dev.vars", () => {
  it("is created with mode 0600 and secrets of at least 32 bytes", () => {
    const secrets = ensureDevSecrets();
    expect(statSync(DEV_VARS).mode & 0o777).toBe(0o600);
    expect(Buffer.byteLength(secrets.AUTH_SECRET)).toBeGreaterThanOrEqual(32);
    expect(Buffer.byteLength(secrets.ADMIN_API_KEY)).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(secrets.CREDENTIALS_KEY, "base64")).toHaveLength(32);
  });

  it("replaces a short key an older clone wrote, keeps the rest, and tightens the file's mode", () => {
    writeFileSync(DEV_VARS, 'AUTH_SECRET="a-long-enough-auth-secret-0123456789abcdef"\nADMIN_API_KEY="dev-admin-short"\nOTHER="kept"\n', { mode: 0o644 });
    const secrets = ensureDevSecrets();
    const stored = parseDevVars(readFileSync(DEV_VARS, "utf8"));
    expect(stored.AUTH_SECRET).toBe("a-long-enough-auth-secret-0123456789abcdef");
    expect(stored.ADMIN_API_KEY).not.toBe("dev-admin-short");
    expect(stored.ADMIN_API_KEY).toBe(secrets.ADMIN_API_KEY);
    expect(stored.OTHER).toBe("kept");
    expect(statSync(DEV_VARS).mode & 0o777).toBe(0o600);
    // A second run finds everything in order and still leaves the mode tight.
    ensureDevSecrets();
    expect(statSync(DEV_VARS).mode & 0o777).toBe(0o600);
  });
});
