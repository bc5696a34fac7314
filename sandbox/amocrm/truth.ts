// What a correct sync of the seeded filter must end up with, computed from the generated data,
// plus the account summary the control API hands out.
import type { AmoAccount } from "./accounts";
import { FILTER_USER_ID, KEY_SEGMENT, SEGMENT_FIELD_ID } from "./data/catalog";
import type { AmoContact } from "./data/types";

export const seededFilter = { responsible_user_id: FILTER_USER_ID, custom_field_id: SEGMENT_FIELD_ID, value: KEY_SEGMENT };

export function summary(a: AmoAccount) {
  const { core, activity } = a;
  return {
    subdomain: a.subdomain,
    account_id: a.accountId,
    long_lived_token: a.tokens.longLived,
    oauth: { client_id: a.tokens.clientId, client_secret: a.tokens.clientSecret, redirect_uri: a.tokens.redirectUri,
      access_token: a.tokens.accessToken, refresh_token: a.tokens.refreshToken, refreshes: a.tokens.refreshes, reuses: a.tokens.reuses },
    filter: seededFilter,
    counts: { contacts: core.contacts.length, companies: core.companies.length, contact_notes: activity.contactNotes.length,
      company_notes: activity.companyNotes.length, tasks: activity.tasks.length },
  };
}

/** Contact ids of the matching companies, ascending. */
export function matchingContactIds(a: AmoAccount): number[] {
  return a.core.matching.flatMap((id) => a.core.companyContacts.get(id) ?? []).sort((x, y) => x - y);
}

export function truth(a: AmoAccount) {
  const { core, activity } = a;
  const companies = new Set(core.matching);
  const contactIds = matchingContactIds(a);
  const contacts = new Set(contactIds);
  const ids = (xs: { id: number }[]) => xs.map((x) => x.id); // stored in id order already
  // How many of a list belong to each matching contact (contacts with none are left out).
  const perContact = (xs: { entity_id: number }[]) => {
    const out: Record<number, number> = {};
    for (const x of xs) if (contacts.has(x.entity_id)) out[x.entity_id] = (out[x.entity_id] ?? 0) + 1;
    return out;
  };
  const contactTasks = activity.tasks.filter((t) => t.entity_type === "contacts");
  const raw: Record<number, AmoContact> = {};
  for (const id of contactIds) { const c = a.contact(id); if (c) raw[id] = c; }
  return {
    filter: seededFilter,
    matching: {
      companies: core.matching,
      contacts: contactIds,
      contact_notes: ids(activity.contactNotes.filter((n) => contacts.has(n.entity_id))),
      contact_tasks: ids(contactTasks.filter((t) => contacts.has(t.entity_id))),
      company_notes: ids(activity.companyNotes.filter((n) => companies.has(n.entity_id))),
      company_tasks: ids(activity.tasks.filter((t) => t.entity_type === "companies" && companies.has(t.entity_id))),
      notes_per_contact: perContact(activity.contactNotes),
      tasks_per_contact: perContact(contactTasks),
    },
    all: { contacts: core.contacts.length, contact_notes: activity.contactNotes.length, contact_tasks: contactTasks.length },
    /** Every live contact id (ascending), and the contacts deleted so far. */
    contact_ids: core.contacts.map((c) => c.id),
    deleted_contacts: [...a.deletedContacts],
    contacts: raw,
  };
}
