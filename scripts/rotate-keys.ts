// Key rotation without logging anyone out or losing a stored credential.
//
//   npm run rotate-credentials-key -- --new-key   (local) new CREDENTIALS_KEY in .dev.vars, the old one
//                                                 kept in CREDENTIALS_KEY_PREVIOUS; restart npm start
//   npm run rotate-credentials-key                re-seal every stored credential with the current key
//                                                 (POST /api/admin/credentials/reseal), then the
//                                                 previous key can go
//   npm run rotate-auth-secret                    (local) new AUTH_SECRET, the old one kept in
//                                                 AUTH_SECRET_PREVIOUS until its tokens expired (≤ 24 h)
//
// Against a deployed Worker: `npm run rotate-credentials-key -- --url https://… --admin-key …`
// (after `wrangler secret put` of the new key and its _PREVIOUS; see README "Rotating keys").
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { readDevVars, writeDevVars } from "./dev-vars";

const { values } = parseArgs({
  options: {
    "new-key": { type: "boolean", default: false },
    "new-auth-secret": { type: "boolean", default: false },
    url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 8787}` },
    "admin-key": { type: "string" },
  },
});

function rotateLocal(name: "CREDENTIALS_KEY" | "AUTH_SECRET", fresh: string): void {
  const vars = readDevVars();
  const current = vars[name];
  if (!current) throw new Error(`.dev.vars has no ${name}: run npm start once first.`);
  const previous = (vars[`${name}_PREVIOUS`] ?? "").split(",").filter(Boolean);
  writeDevVars({ ...vars, [name]: fresh, [`${name}_PREVIOUS`]: [current, ...previous.filter((p) => p !== current)].join(",") });
  console.log(`${name} rotated in .dev.vars; the old key stays in ${name}_PREVIOUS. Restart npm start to use it.`);
}

if (values["new-key"]) {
  rotateLocal("CREDENTIALS_KEY", randomBytes(32).toString("base64"));
  console.log("Then run `npm run rotate-credentials-key` to re-seal the stored credentials.");
} else if (values["new-auth-secret"]) {
  rotateLocal("AUTH_SECRET", randomBytes(32).toString("base64url"));
  console.log("Tokens signed with the old secret keep working until they expire (24 h at most); then drop AUTH_SECRET_PREVIOUS.");
} else {
  const adminKey = values["admin-key"] ?? readDevVars().ADMIN_API_KEY;
  if (!adminKey) throw new Error("No admin key: pass --admin-key or run npm start once (it writes .dev.vars).");
  const res = await fetch(`${values.url}/api/admin/credentials/reseal`, { method: "POST", headers: { authorization: `Bearer ${adminKey}` } });
  const body = await res.text();
  if (!res.ok) {
    console.error(`Re-sealing failed: ${res.status} ${body}`);
    process.exit(1);
  }
  const result = JSON.parse(body) as { key_id: string; resealed: number; already_current: number; failed: string[] };
  console.log(`Credentials now sealed with key ${result.key_id}: ${result.resealed} re-sealed, ${result.already_current} already current.`);
  if (result.failed.length) {
    console.error(`${result.failed.length} could not be opened with any key of the ring (left as they were): ${result.failed.join(", ")}`);
    process.exit(1);
  }
  console.log("Every credential is on the current key: CREDENTIALS_KEY_PREVIOUS can be removed.");
}
