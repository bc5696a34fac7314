// GET /api/v4/companies: the contact filters plus exact-value custom-field filters
// (`filter[custom_fields_values][<field_id>][]=<value>`); `with=contacts` embeds contact ids.
import { Hono } from "hono";
import { apiBase } from "./data/basics";
import type { AmoCompany } from "./data/types";
import { halPage } from "./envelope";
import type { AmoEnv } from "./env";
import { matchesQuery } from "./contacts";
import { listRequest, type Pred, type Query, select } from "./filters";

/** One predicate per named field: some value of that field equals one of the given strings. */
function customFieldPreds(q: Query, preds: Pred<AmoCompany>[]): void {
  for (const fieldId of q.children("filter", "custom_fields_values")) {
    const wanted = new Set(q.list("filter", "custom_fields_values", fieldId));
    const id = Number(fieldId);
    preds.push((co) => !!co.custom_fields_values?.some((f) => f.field_id === id && f.values.some((v) => wanted.has(v.value))));
  }
}

export const companies = new Hono<AmoEnv>({ strict: false })
  .get("/", (c) => {
    const req = listRequest<AmoCompany>(c.req.url);
    if (req instanceof Response) return req;
    const { q, pg, preds } = req;
    customFieldPreds(q, preds);
    const term = q.one("query")?.trim().toLowerCase();
    if (term) preds.push((x) => matchesQuery(x.name, x.custom_fields_values, term));
    const account = c.env.account;
    const list = select(account.core.companies, preds, q, ["created_at", "updated_at", "id"]);
    if (!q.with().has("contacts")) return halPage(q.url, "companies", list, pg.page, pg.limit);
    const base = apiBase(account.subdomain);
    return halPage(q.url, "companies", list, pg.page, pg.limit, (co) => ({
      ...co,
      _embedded: { ...co._embedded, contacts: (account.core.companyContacts.get(co.id) ?? []).map((id) => ({
        id, _links: { self: { href: `${base}/contacts/${id}` } } })) },
    }));
  });
