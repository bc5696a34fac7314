// Deterministic account generator: companies, contacts and who belongs where, from (seed, subdomain).
// Dates are Unix seconds before a FIXED epoch, so an account is identical after every restart.
import { ACCENTED_FIRST, ACCENTED_LAST, CYRILLIC_FIRST, CYRILLIC_LAST_STEMS, FIRST_NAMES, LAST_NAMES } from "../../data/names";
import { intBelow, pick, rngFor, type Rng } from "../../data/prng";
import { apiBase, SEED_EPOCH_S, stamps, type GenerateSpec } from "./basics";
import {
  AMO_TAGS, COMPANY_FORMS_RU, COMPANY_STEMS_RU, FILTER_USER_ID, KEY_SEGMENT, SEGMENTS, SEGMENT_FIELD_ID, USER_IDS,
} from "./catalog";
import { contactFields } from "./phones";
import type { AccountCore, AmoCompany, AmoContact, CustomFieldValue, EntityRef, Tag } from "./types";

/** Ascending ids with small random gaps, starting near `base` (7-8 digits, like AmoCRM's). */
function ids(rng: Rng, n: number, base: number, maxGap: number): number[] {
  const out = new Array<number>(n);
  let id = base + intBelow(rng, 1000);
  for (let i = 0; i < n; i++) { out[i] = id; id += 1 + intBelow(rng, maxGap); }
  return out;
}

function person(rng: Rng): { first: string; last: string } {
  const roll = rng();
  if (roll < 0.6) {
    const [first, female] = pick(rng, CYRILLIC_FIRST);
    const stem = pick(rng, CYRILLIC_LAST_STEMS);
    return { first, last: rng() < 0.05 ? "" : female ? `${stem}а` : stem };
  }
  if (roll < 0.7) return { first: pick(rng, ACCENTED_FIRST), last: pick(rng, ACCENTED_LAST) };
  return { first: pick(rng, FIRST_NAMES), last: rng() < 0.05 ? "" : pick(rng, LAST_NAMES) };
}

function tags(rng: Rng): Tag[] {
  const out: Tag[] = [];
  for (let n = rng() < 0.6 ? 0 : 1 + intBelow(rng, 2); n > 0; n--) {
    const [id, name] = pick(rng, AMO_TAGS);
    if (!out.some((t) => t.id === id)) out.push({ id, name, color: null });
  }
  return out;
}

function segmentField(segment: readonly [string, number] | undefined): CustomFieldValue[] | null {
  if (!segment) return null;
  return [{ field_id: SEGMENT_FIELD_ID, field_name: "Сегмент", field_code: null, field_type: "select",
    values: [{ value: segment[0], enum_id: segment[1] }] }];
}

/** Picks `m` distinct indices below `n` (partial Fisher-Yates), returned as a Set. */
function chooseIndices(rng: Rng, n: number, m: number): Set<number> {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + intBelow(rng, n - i);
    [all[i], all[j]] = [all[j] ?? 0, all[i] ?? 0];
  }
  return new Set(all.slice(0, m));
}

function makeCompanies(spec: GenerateSpec, rng: Rng): { companies: AmoCompany[]; matching: Set<number> } {
  const base = apiBase(spec.subdomain);
  const companyIds = ids(rng, spec.companies, 9_000_000, 7);
  const matchingIdx = chooseIndices(rng, spec.companies, spec.matchingCompanies);
  const keySegment = SEGMENTS.find(([v]) => v === KEY_SEGMENT);
  const others = SEGMENTS.filter(([v]) => v !== KEY_SEGMENT);
  const companies = companyIds.map((id, i): AmoCompany => {
    const { created, updated } = stamps(rng);
    let user = pick(rng, USER_IDS);
    let segment = rng() < 0.2 ? undefined : pick(rng, SEGMENTS);
    if (matchingIdx.has(i)) { user = FILTER_USER_ID; segment = keySegment; }
    // Decoys match one half of the filter, never both.
    else if (user === FILTER_USER_ID && segment?.[0] === KEY_SEGMENT) segment = pick(rng, others);
    const name = pick(rng, COMPANY_FORMS_RU).replace("%", pick(rng, COMPANY_STEMS_RU));
    return {
      id, name: rng() < 0.3 ? `${name} ${1 + intBelow(rng, 99)}` : name, responsible_user_id: user, group_id: 0,
      created_by: pick(rng, USER_IDS), updated_by: pick(rng, USER_IDS), created_at: created, updated_at: updated,
      closest_task_at: rng() < 0.2 ? SEED_EPOCH_S + intBelow(rng, 30 * 86_400) : null,
      custom_fields_values: segmentField(segment), account_id: spec.accountId,
      _links: { self: { href: `${base}/companies/${id}` } }, _embedded: { tags: tags(rng) },
    };
  });
  return { companies, matching: new Set([...matchingIdx].map((i) => companyIds[i] ?? 0)) };
}

/** contact index -> company index; matching companies get 9-20 contacts, others 0-15, the rest none. */
function membership(spec: GenerateSpec, rng: Rng, companies: AmoCompany[], matching: Set<number>): Int32Array {
  const owner = new Int32Array(spec.contacts).fill(-1);
  const order = Array.from({ length: spec.contacts }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = intBelow(rng, i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  let next = 0;
  let matchingLeft = matching.size;
  const fill = (ci: number, size: number) => {
    for (let k = 0; k < size && next < order.length; k++) owner[order[next++] ?? 0] = ci;
  };
  companies.forEach((co, ci) => {
    if (!matching.has(co.id)) return;
    matchingLeft--;
    // Keep 9 contacts in reserve for every matching company still to come.
    fill(ci, Math.min(9 + intBelow(rng, 12), order.length - next - 9 * matchingLeft));
  });
  companies.forEach((co, ci) => { if (!matching.has(co.id)) fill(ci, intBelow(rng, 16)); });
  return owner;
}

function makeContacts(spec: GenerateSpec, rng: Rng, companies: AmoCompany[], owner: Int32Array): AmoContact[] {
  const base = apiBase(spec.subdomain);
  return ids(rng, spec.contacts, 20_000_000, 4).map((id, i): AmoContact => {
    const { first, last } = person(rng);
    const { created, updated } = stamps(rng);
    const company = companies[owner[i] ?? -1];
    const refs: EntityRef[] = company ? [{ id: company.id, _links: { self: { href: `${base}/companies/${company.id}` } } }] : [];
    return {
      id, name: last ? `${first} ${last}` : first, first_name: first, last_name: last,
      responsible_user_id: pick(rng, USER_IDS), group_id: 0, created_by: rng() < 0.1 ? 0 : pick(rng, USER_IDS),
      updated_by: pick(rng, USER_IDS), created_at: created, updated_at: updated,
      closest_task_at: rng() < 0.25 ? SEED_EPOCH_S + intBelow(rng, 30 * 86_400) : null, is_deleted: false,
      custom_fields_values: contactFields(rng, first, last), account_id: spec.accountId,
      _links: { self: { href: `${base}/contacts/${id}` } }, _embedded: { tags: tags(rng), companies: refs },
    };
  });
}

/** Companies and contacts only; notes and tasks come later, from `generateActivity`, when asked for. */
export function generateAccount(spec: GenerateSpec): AccountCore {
  const rng = rngFor(spec.seed, spec.subdomain, "amocrm");
  const { companies, matching } = makeCompanies(spec, rng);
  const owner = membership(spec, rng, companies, matching);
  const contacts = makeContacts(spec, rng, companies, owner);
  const companyContacts = new Map<number, number[]>(companies.map((co) => [co.id, []]));
  contacts.forEach((c, i) => { const co = companies[owner[i] ?? -1]; if (co) companyContacts.get(co.id)?.push(c.id); });
  return { contacts, companies, companyContacts, matching: [...matching].sort((a, b) => a - b) };
}
