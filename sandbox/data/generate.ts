// Deterministic contact generator. Dates are relative to a FIXED epoch, never Date.now(), so a
// location looks identical after every restart; only runtime mutations use the real clock.
import {
  ACCENTED_FIRST, ACCENTED_LAST, COMPANIES, CYRILLIC_FIRST, CYRILLIC_LAST_STEMS, EMAIL_DOMAINS,
  FIRST_NAMES, LANGUAGES, LAST_NAMES, PLACES, SOURCES, TAGS, emailSlug, type Culture,
} from "./names";
import { ghlId, intBelow, pick, rngFor, type Rng } from "./prng";
import { isoUtc } from "./time";
import { toRec, type ContactRec, type GhlContact, type LocationContext } from "./types";

/** All seeded timestamps lie in the two years before this instant (2026-06-01T00:00:00Z). */
export const SEED_EPOCH_MS = Date.UTC(2026, 5, 1);
const SPAN_MS = 730 * 86_400_000;

/** The XSS probe lives in location `demo` at this index (small, so it exists in small demos too). */
export const XSS_NAME = "<img src=x onerror=alert(1)>";
export const XSS_INDEX = 137;

export function locationContext(locationId: string, seed: number): LocationContext {
  const rng = rngFor(seed, locationId, "context");
  const ids = (n: number) => Array.from({ length: n }, () => ghlId(rng));
  return {
    locationId,
    seed,
    users: ids(5),
    fieldIds: ids(3),
    pipelines: [{ id: ghlId(rng), stages: ids(5) }, { id: ghlId(rng), stages: ids(4) }],
  };
}

function personName(rng: Rng): { first: string; last: string; culture: Culture } {
  const roll = rng();
  if (roll < 0.07) {
    const [first, female] = pick(rng, CYRILLIC_FIRST);
    const stem = pick(rng, CYRILLIC_LAST_STEMS);
    return { first, last: female ? `${stem}а` : stem, culture: "cyrillic" };
  }
  if (roll < 0.17) return { first: pick(rng, ACCENTED_FIRST), last: pick(rng, ACCENTED_LAST), culture: "accented" };
  return { first: pick(rng, FIRST_NAMES), last: pick(rng, LAST_NAMES), culture: "latin" };
}

/** NANP number in E.164: area code and exchange never start with 0 or 1. */
function phone(rng: Rng): string {
  const area = 200 + intBelow(rng, 800);
  const exchange = 200 + intBelow(rng, 800);
  const line = intBelow(rng, 10_000).toString().padStart(4, "0");
  return `+1${area}${exchange}${line}`;
}

/** Emails in use in a location, with a counter per address so a duplicate costs O(1), not a scan. */
export class EmailBook {
  private readonly used = new Set<string>();
  private readonly next = new Map<string, number>();

  add(email: string): void { this.used.add(email); }

  claim(local: string, domain: string): string {
    const base = `${local}@${domain}`;
    let email = base;
    if (this.used.has(email)) {
      let n = this.next.get(base) ?? 2;
      while (this.used.has((email = `${local}${n}@${domain}`))) n++;
      this.next.set(base, n + 1);
    }
    this.used.add(email);
    return email;
  }
}

function uniqueEmail(rng: Rng, first: string, last: string, book: EmailBook): string {
  const f = emailSlug(first) || "contact";
  const l = emailSlug(last);
  const style = intBelow(rng, 3);
  const local = !l ? f : style === 0 ? `${f}.${l}` : style === 1 ? `${f.charAt(0)}${l}` : `${f}${l}`;
  return book.claim(local, pick(rng, EMAIL_DOMAINS));
}

export interface ContactDates {
  added: number;
  updated: number;
}

/** One contact from the stream `rng`; `book` keeps emails unique within the location. */
export function makeContact(
  rng: Rng, ctx: LocationContext, dates: ContactDates, book: EmailBook, xss = false,
): GhlContact {
  const id = ghlId(rng);
  const person = personName(rng);
  const first = xss ? XSS_NAME : person.first;
  const last = xss ? undefined : person.last;
  const noEmail = rng() < 0.07;
  const noPhone = rng() < 0.07;
  const noCompany = rng() < 0.08;
  const email = xss ? "xss.probe@example.com" : noEmail ? undefined : uniqueEmail(rng, first, person.last, book);
  const full = last ? `${first} ${last}` : first;
  const [city, country] = pick(rng, PLACES[person.culture]);
  const tags: string[] = [];
  for (let n = intBelow(rng, 4); n > 0; n--) {
    const tag = pick(rng, TAGS);
    if (!tags.includes(tag)) tags.push(tag);
  }
  const fieldCount = intBelow(rng, 3);
  const customFields = ctx.fieldIds.slice(0, fieldCount).map((fid, i) => ({
    id: fid,
    value: i === 0 ? pick(rng, LANGUAGES) : 1 + intBelow(rng, 100),
  }));
  // Absent values stay undefined, which JSON drops, so key order matches a real GHL payload.
  return {
    id,
    locationId: ctx.locationId,
    contactName: full,
    name: full,
    firstName: first,
    lastName: last,
    firstNameLowerCase: first.toLowerCase(),
    lastNameLowerCase: last?.toLowerCase(),
    fullNameLowerCase: full.toLowerCase(),
    email,
    emailLowerCase: email?.toLowerCase(),
    phone: noPhone ? undefined : phone(rng),
    companyName: noCompany ? undefined : pick(rng, COMPANIES),
    source: pick(rng, SOURCES),
    type: "lead",
    assignedTo: pick(rng, ctx.users),
    tags,
    dnd: false,
    country,
    city,
    dateAdded: isoUtc(dates.added),
    dateUpdated: isoUtc(dates.updated),
    customFields,
    additionalEmails: [],
  };
}

/** Seed contacts of one location, in generation order (ids unique, emails unique). */
export function generateContacts(ctx: LocationContext, count: number): ContactRec[] {
  const rng = rngFor(ctx.seed, ctx.locationId, "contacts");
  const book = new EmailBook();
  const ids = new Set<string>();
  const out: ContactRec[] = [];
  for (let i = 0; i < count; i++) {
    const added = SEED_EPOCH_MS - 1 - intBelow(rng, SPAN_MS);
    // About a third never changed; the rest were touched later, skewed towards long ago.
    const updated = rng() < 0.3 ? added : added + Math.floor(rng() ** 3 * (SEED_EPOCH_MS - added));
    const xss = ctx.locationId === "demo" && i === XSS_INDEX;
    let c = makeContact(rng, ctx, { added, updated }, book, xss);
    while (ids.has(c.id)) c = makeContact(rng, ctx, { added, updated }, book, xss);
    ids.add(c.id);
    out.push(toRec(c, added, updated));
  }
  return out;
}
