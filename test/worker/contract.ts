// Every response a worker test reads through api() (or checks here itself) must match the OpenAPI
// contract of its route: a documented success status with a body that parses with the route's
// schema, or the one error body with a code the route documents for that status.
import { z } from "zod";
import { errorBodySchema } from "../../shared/schemas/errors";
import app from "../../worker/app";
import { routeContracts } from "../../worker/http/openapi";

// Literal paths before parametrised ones (`/contactlists/import-tasks` is not a list id).
const contracts = routeContracts(app)
  .map((r) => ({ ...r, pattern: new RegExp(`^${r.path.replace(/:[^/]+/g, "[^/]+")}/?$`), params: (r.path.match(/:/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

export class ContractError extends Error {}

/** Throws when `res` breaks its route's contract; `res` itself is left unread. */
export async function checkResponse(method: string, url: string, res: Response): Promise<void> {
  const path = new URL(url, "https://crm-edge.test").pathname;
  const verb = method === "HEAD" ? "GET" : method;
  const route = contracts.find((r) => r.method === verb && r.pattern.test(path));
  if (!route || method === "HEAD") return; // not an API route (the widget's files, a 404)
  const where = `${method} ${path} → ${res.status}`;
  if (res.status >= 400) {
    const body = errorBodySchema.safeParse(await res.clone().json().catch(() => undefined));
    if (!body.success) throw new ContractError(`${where}: not the error body (${body.error.message})`);
    const documented = route.errors.get(res.status) ?? [];
    if (!(documented as string[]).includes(body.data.error.code)) {
      throw new ContractError(`${where}: code '${body.data.error.code}' is not documented for this status (${documented.join(", ") || "none"}); add it to the route's docs()`);
    }
    return;
  }
  const ok = route.docs?.ok[res.status as keyof NonNullable<typeof route.docs>["ok"]];
  if (!ok) throw new ContractError(`${where}: this status is not documented for the route`);
  if (!(ok instanceof z.ZodType)) return;
  const parsed = ok.safeParse(await res.clone().json().catch((e) => `not JSON: ${e}`));
  if (!parsed.success) throw new ContractError(`${where}: the body does not match its schema:\n${z.prettifyError(parsed.error)}`);
}
