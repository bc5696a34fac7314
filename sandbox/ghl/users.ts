// GoHighLevel users: GET /users/{userId} as the Users API answers it (UserSuccessfulResponseDto:
// id, name, firstName, lastName, email, phone, roles {type, role, locationIds, restrictSubAccount}).
// The Worker calls it to confirm an SSO user before minting a token. A user of another company,
// or one the simulator never had, is a 404 here (the live wording is not documented).
import { Hono } from "hono";
import type { SandboxUser } from "../users";
import { ghlErrors } from "./errors";
import type { GhlEnv } from "./env";

export function userOut(u: SandboxUser) {
  const [firstName, ...rest] = u.name.split(" ");
  return {
    id: u.id,
    name: u.name,
    firstName: firstName ?? "",
    lastName: rest.join(" "),
    email: u.email,
    phone: "",
    extension: "",
    permissions: {},
    roles: { type: u.type, role: u.role, locationIds: u.locationIds, restrictSubAccount: u.restrictSubAccount },
  };
}

export const users = new Hono<GhlEnv>({ strict: false }).get("/:userId", (c) => {
  const user = c.env.sandbox.users.get(c.req.param("userId"));
  const company = c.env.sandbox.users.companyOf(c.env.location.store.id);
  if (!user || user.deleted || user.companyId !== company) return ghlErrors.notFound("User not found");
  return c.json(userOut(user), 200);
});
