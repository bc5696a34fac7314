// AmoCRM contacts, companies, notes and tasks → our provider-neutral records. Phones go to E.164
// (libphonenumber-js, the region for numbers written without a country code from the location),
// e-mails to lower case, each de-duplicated per contact. A phone that does not parse is kept
// apart (customFields "invalid_phones") rather than dropped, so nothing is silently lost.
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/min";
import type { CompanyRecord, ContactRecord, RelatedRecord } from "../types";
import type { AmoAttached, AmoCompany, AmoContact, AmoCustomField } from "./schemas";

const seconds = (s: number) => s * 1000;

function clean(s: string | null | undefined): string | null {
  const v = s?.trim();
  return v ? v : null;
}

function values(field: AmoCustomField): string[] {
  return (field.values ?? []).map((v) => (v.value === null || v.value === undefined ? "" : String(v.value).trim())).filter(Boolean);
}

export function normalisePhones(raw: string[], region: CountryCode): { phones: string[]; invalid: string[] } {
  const phones = new Set<string>();
  const invalid = new Set<string>();
  for (const value of raw) {
    const parsed = parsePhoneNumberFromString(value, region);
    if (parsed?.isValid()) phones.add(parsed.number);
    else invalid.add(value);
  }
  return { phones: [...phones], invalid: [...invalid] };
}

export function normaliseEmails(raw: string[]): string[] {
  return [...new Set(raw.map((e) => e.toLowerCase()))];
}

export function mapAmoContact(c: AmoContact, region: CountryCode, companyNames?: ReadonlyMap<string, string>): ContactRecord {
  const fields = c.custom_fields_values ?? [];
  const byCode = (code: string) => fields.filter((f) => f.field_code === code).flatMap(values);
  const { phones, invalid } = normalisePhones(byCode("PHONE"), region);
  const emails = normaliseEmails(byCode("EMAIL"));
  const firstName = clean(c.first_name);
  const lastName = clean(c.last_name);
  const companyIds = (c._embedded?.companies ?? []).map((co) => String(co.id));
  const customFields: ContactRecord["customFields"] = [
    ...(phones.length ? [{ id: "phones", value: phones }] : []),
    ...(emails.length ? [{ id: "emails", value: emails }] : []),
    ...(invalid.length ? [{ id: "invalid_phones", value: invalid }] : []),
    ...fields
      .filter((f) => f.field_code !== "PHONE" && f.field_code !== "EMAIL")
      .map((f) => ({ id: String(f.field_id), value: values(f) })),
  ];
  return {
    externalId: String(c.id),
    firstName,
    lastName,
    name: clean(c.name) ?? ([firstName, lastName].filter(Boolean).join(" ") || ""),
    email: emails[0] ?? null,
    phone: phones[0] ?? null,
    companyName: companyIds.map((id) => companyNames?.get(id)).find(Boolean) ?? null,
    tags: (c._embedded?.tags ?? []).map((t) => clean(t.name)).filter((t): t is string => t !== null),
    source: null,
    dateAdded: seconds(c.created_at),
    dateUpdated: seconds(c.updated_at),
    customFields,
    companyExternalIds: companyIds,
  };
}

export function mapAmoCompany(c: AmoCompany): CompanyRecord {
  const contacts = c._embedded?.contacts;
  return {
    externalId: String(c.id),
    name: clean(c.name) ?? "",
    dateUpdated: seconds(c.updated_at),
    payload: JSON.stringify(c),
    contactExternalIds: contacts ? contacts.map((x) => String(x.id)) : null,
  };
}

/** A note or task of a contact (entity_type is implied for contact notes, explicit for tasks). */
export function mapAmoAttached(r: AmoAttached, entityType: string): RelatedRecord {
  const type = r.entity_type ?? entityType;
  return {
    externalId: String(r.id),
    contactExternalId: type === "contacts" && r.entity_id != null ? String(r.entity_id) : null,
    dateUpdated: seconds(r.updated_at),
    payload: JSON.stringify(r),
  };
}
