// GET /conversations/search and GET /opportunities/search. Contact fields embedded in these
// records are read from the live contact, so they follow mutations like GHL's denormalised copies.
import { Hono } from "hono";
import type { ConversationSeed, OpportunitySeed } from "../data/types";
import type { LocationStore } from "../data/store";
import { ghlErrors, intParam, limitParam } from "./errors";
import { checkLocation, type GhlEnv } from "./env";

const byLastMessage = new WeakMap<ConversationSeed[], ConversationSeed[]>();
const byCreated = new WeakMap<OpportunitySeed[], OpportunitySeed[]>();

/** Sorted once per (immutable) visible list; the list object changes on every mutation. */
function sortedOnce<T>(cache: WeakMap<T[], T[]>, list: T[], cmp: (a: T, b: T) => number): T[] {
  let sorted = cache.get(list);
  if (!sorted) { sorted = [...list].sort(cmp); cache.set(list, sorted); }
  return sorted;
}

function conversationOut(store: LocationStore, s: ConversationSeed) {
  const c = store.get(s.contactId)?.c;
  return {
    id: s.id, contactId: s.contactId, locationId: store.id,
    lastMessageBody: s.lastMessageBody, lastMessageType: s.lastMessageType, type: s.type,
    unreadCount: s.unreadCount, fullName: c?.contactName ?? "", contactName: c?.contactName ?? "",
    email: c?.email, phone: c?.phone, tags: c?.tags ?? [], starred: false, inbox: true,
    lastMessageDate: s.lastMessageDate, dateAdded: s.dateAdded, dateUpdated: s.lastMessageDate,
  };
}

function opportunityOut(store: LocationStore, o: OpportunitySeed) {
  const c = store.get(o.contactId)?.c;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: o.id, name: o.name, monetaryValue: o.monetaryValue, pipelineId: o.pipelineId,
    pipelineStageId: o.pipelineStageId, assignedTo: o.assignedTo, status: o.status, source: o.source,
    lastStatusChangeAt: iso(o.updatedAt), lastStageChangeAt: iso(o.updatedAt),
    createdAt: iso(o.createdAt), updatedAt: iso(o.updatedAt), contactId: o.contactId, locationId: store.id,
    contact: { id: o.contactId, name: c?.contactName ?? "", companyName: c?.companyName ?? "",
      email: c?.email ?? "", phone: c?.phone ?? "", tags: c?.tags ?? [] },
    notes: [], tasks: [], calendarEvents: [], customFields: [], followers: [],
  };
}

const idCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const SORT_BY = ["last_message_date", "last_manual_message_date"];
const STATUSES = ["open", "won", "lost", "abandoned", "all"];

export const related = new Hono<GhlEnv>({ strict: false })
  .get("/conversations/search", (c) => {
    const q = c.req.query();
    const denied = checkLocation(c, q.locationId);
    if (denied) return denied;
    const limit = limitParam(q.limit);
    const after = intParam(q.startAfterDate);
    const sort = q.sort ?? "desc";
    const errs = typeof limit === "string" ? [limit] : [];
    if (after !== undefined && Number.isNaN(after)) errs.push("startAfterDate must be a number (epoch ms)");
    if (sort !== "asc" && sort !== "desc") errs.push("sort must be one of the following values: asc, desc");
    if (q.sortBy !== undefined && !SORT_BY.includes(q.sortBy)) {
      errs.push(`sortBy must be one of the following values: ${SORT_BY.join(", ")}`);
    }
    if (typeof limit === "string" || errs.length) return ghlErrors.unprocessable(errs);

    const store = c.env.location.store;
    const all = sortedOnce(byLastMessage, store.related().conversations, (a, b) => b.lastMessageDate - a.lastMessageDate);
    const ordered = sort === "desc" ? all : [...all].reverse();
    const matches = q.contactId ? ordered.filter((s) => s.contactId === q.contactId) : ordered;
    // startAfterDate is the last item's lastMessageDate (unique per location), exclusive.
    const rest = after === undefined ? matches
      : matches.filter((s) => (sort === "desc" ? s.lastMessageDate < after : s.lastMessageDate > after));
    return c.json({
      conversations: rest.slice(0, limit).map((s) => conversationOut(store, s)),
      total: matches.length,
    }, 200);
  })
  .get("/opportunities/search", (c) => {
    const q = c.req.query();
    const denied = checkLocation(c, q.location_id, "location_id");
    if (denied) return denied;
    const limit = limitParam(q.limit);
    const startAfter = intParam(q.startAfter);
    const page = intParam(q.page);
    const order = q.order ?? "added_asc";
    const status = q.status ?? "all";
    const errs = typeof limit === "string" ? [limit] : [];
    if (startAfter !== undefined && Number.isNaN(startAfter)) errs.push("startAfter must be a number (epoch ms)");
    if (page !== undefined && (Number.isNaN(page) || page < 1)) errs.push("page must not be less than 1");
    if (order !== "added_asc" && order !== "added_desc") errs.push("order must be one of the following values: added_asc, added_desc");
    if (!STATUSES.includes(status)) errs.push(`status must be one of the following values: ${STATUSES.join(", ")}`);
    if (typeof limit === "string" || errs.length) return ghlErrors.unprocessable(errs);

    const store = c.env.location.store;
    const asc = sortedOnce(byCreated, store.related().opportunities, (a, b) => a.createdAt - b.createdAt || idCmp(a.id, b.id));
    const dir = order === "added_asc" ? 1 : -1;
    const ordered = dir === 1 ? asc : [...asc].reverse();
    const matches = ordered.filter((o) => (status === "all" || o.status === status) && (!q.contact_id || o.contactId === q.contact_id));
    let before = (Math.max(1, page ?? 1) - 1) * limit;
    if (q.startAfterId || startAfter !== undefined) {
      const at = startAfter ?? asc.find((o) => o.id === q.startAfterId)?.createdAt;
      if (at === undefined) return ghlErrors.unprocessable(["startAfterId does not match an opportunity; pass startAfter too"]);
      const id = q.startAfterId ?? (dir === 1 ? "\uffff" : "");
      before = matches.findIndex((o) => dir * (o.createdAt - at || idCmp(o.id, id)) > 0);
      if (before < 0) before = matches.length;
    }
    const items = matches.slice(before, before + limit);
    const last = items[items.length - 1];
    const hasMore = before + items.length < matches.length;
    const currentPage = Math.floor(before / limit) + 1;
    let nextPageUrl: string | null = null;
    if (hasMore && last) {
      const next = new URL("/opportunities/search", c.req.url);
      const params = new URLSearchParams({ location_id: store.id, limit: String(limit), order,
        startAfter: String(last.createdAt), startAfterId: last.id });
      if (q.status) params.set("status", q.status);
      if (q.contact_id) params.set("contact_id", q.contact_id);
      next.search = params.toString();
      nextPageUrl = next.toString();
    }
    return c.json({
      opportunities: items.map((o) => opportunityOut(store, o)),
      meta: {
        total: matches.length, nextPageUrl, startAfterId: last?.id ?? null, startAfter: last?.createdAt ?? null,
        currentPage, nextPage: hasMore ? currentPage + 1 : null, prevPage: currentPage > 1 ? currentPage - 1 : null,
      },
      aggregations: {},
    }, 200);
  });
