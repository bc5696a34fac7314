// GET /api/v4/contacts: the documented filters (id, responsible user, created/updated ranges),
// `query` over name, phones and e-mails, order by updated_at or id.
import { Hono } from "hono";
import type { AmoContact, CustomFieldValue } from "./data/types";
import { halPage } from "./envelope";
import type { AmoEnv } from "./env";
import { listRequest, select } from "./filters";

/** Case-insensitive substring of the name or of any phone/e-mail value. */
export function matchesQuery(name: string, fields: CustomFieldValue[] | null, term: string): boolean {
  if (name.toLowerCase().includes(term)) return true;
  return !!fields?.some((f) => (f.field_code === "PHONE" || f.field_code === "EMAIL")
    && f.values.some((v) => v.value.toLowerCase().includes(term)));
}

export const contacts = new Hono<AmoEnv>({ strict: false })
  .get("/", (c) => {
    const req = listRequest<AmoContact>(c.req.url);
    if (req instanceof Response) return req;
    const { q, pg, preds } = req;
    const term = q.one("query")?.trim().toLowerCase();
    if (term) preds.push((x) => matchesQuery(x.name, x.custom_fields_values, term));
    const account = c.env.account;
    const list = select(account.core.contacts, preds, q, ["updated_at", "id"]);
    const res = halPage(q.url, "contacts", list, pg.page, pg.limit);
    const pending = account.faults.deleteAfterPage;
    if (pending && pg.page === pending.page && q.list("filter", "id").length === 0) {
      account.faults.deleteAfterPage = null;
      account.remove(pending.ids);
    }
    return res;
  });
