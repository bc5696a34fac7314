// Provider-neutral contact records → cache rows, with the API JSON serialised once, here.
import type { NewContactRow } from "../../shared/db/schema";
import type { Contact } from "../../shared/schemas/contacts";
import type { ContactRecord } from "../providers/types";
import { checkSyntax } from "../validation/syntax";
import { locationShift, searchKey } from "./search-key";

/** The dedupe identity of an address (lower case, ASCII domain), or null if it is not one. */
export function emailKey(email: string | null): string | null {
  if (!email) return null;
  const syntax = checkSyntax(email);
  return syntax.ok ? syntax.key : null;
}

export function toApiContact(locationId: string, r: ContactRecord): Contact {
  return {
    id: r.externalId,
    locationId,
    firstName: r.firstName,
    lastName: r.lastName,
    name: r.name,
    email: r.email,
    phone: r.phone,
    companyName: r.companyName,
    tags: r.tags,
    source: r.source,
    dateAdded: new Date(r.dateAdded).toISOString(),
    dateUpdated: new Date(r.dateUpdated).toISOString(),
    customFields: r.customFields,
  };
}

export function toContactRow(locationId: string, r: ContactRecord, syncedAt: number): NewContactRow {
  // Name, email, phone and company, lower-cased, in the location's own alphabet (search-key.ts).
  const searchText = searchKey(
    locationShift(locationId),
    [r.name, r.email, r.phone, r.companyName]
      .filter((part): part is string => Boolean(part))
      .join("\n")
      .toLowerCase(),
  );
  return {
    locationId,
    externalId: r.externalId,
    firstName: r.firstName,
    lastName: r.lastName,
    name: r.name,
    sortName: r.name.toLowerCase(),
    searchText,
    email: r.email,
    emailKey: emailKey(r.email),
    phone: r.phone,
    companyName: r.companyName,
    tags: r.tags,
    dateAdded: r.dateAdded,
    dateUpdated: r.dateUpdated,
    payload: JSON.stringify(toApiContact(locationId, r)),
    deleted: false,
    syncedAt,
  };
}
