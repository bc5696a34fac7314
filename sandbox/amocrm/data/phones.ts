// Phone and e-mail custom fields with the mess real AmoCRM accounts hold: mixed formats, foreign
// numbers, junk values, the same number twice in one contact, e-mails in odd case.
import { emailSlug } from "../../data/names";
import { intBelow, pick, type Rng } from "../../data/prng";
import { EMAIL_ENUMS, EMAIL_FIELD, PHONE_ENUMS, PHONE_FIELD, POSITIONS, POSITION_FIELD } from "./catalog";
import type { CustomFieldValue, FieldValue } from "./types";

const MALFORMED = ["12-34", "n/a", "+7 000", "нет", "000", "+7 (9"] as const;
const FOREIGN = ["+44 20 7946 0958", "+1 (415) 555-0132", "+49 30 1234567", "+375 29 123-45-67", "+998 90 123 45 67"] as const;
const RU_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "outlook.com"] as const;

/** Ten digits of a Russian mobile number, e.g. `9123456789`. */
function ruDigits(rng: Rng): string {
  return `9${String(intBelow(rng, 1_000_000_000)).padStart(9, "0")}`;
}

/** The same Russian number the ways people type it. */
export function formatRu(d: string, style: number): string {
  const [a, b, c, e] = [d.slice(0, 3), d.slice(3, 6), d.slice(6, 8), d.slice(8, 10)];
  switch (style % 5) {
    case 0: return `+7 (${a}) ${b}-${c}-${e}`;
    case 1: return `8${d}`;
    case 2: return `8 ${a} ${b} ${c} ${e}`;
    case 3: return `+7${d}`;
    default: return `7 ${a} ${b}${c}${e}`;
  }
}

function phoneValue(value: string, rng: Rng): FieldValue {
  const [enum_code, enum_id] = pick(rng, PHONE_ENUMS);
  return { value, enum_id, enum_code };
}

function emailValue(value: string, rng: Rng): FieldValue {
  const [enum_code, enum_id] = pick(rng, EMAIL_ENUMS);
  return { value, enum_id, enum_code };
}

function phones(rng: Rng, min: number): FieldValue[] {
  const roll = rng();
  const count = Math.max(min, roll < 0.12 ? 0 : roll < 0.72 ? 1 : roll < 0.92 ? 2 : 3);
  const out: FieldValue[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng();
    if (kind < 0.02) { out.push(phoneValue(pick(rng, MALFORMED), rng)); continue; }
    if (kind < 0.1) { out.push(phoneValue(pick(rng, FOREIGN), rng)); continue; }
    const digits = ruDigits(rng);
    const style = intBelow(rng, 5);
    out.push(phoneValue(formatRu(digits, style), rng));
    // The same number typed again in another format (a second import, a manager's retype).
    if (rng() < 0.05) out.push(phoneValue(formatRu(digits, style + 1 + intBelow(rng, 4)), rng));
  }
  return out;
}

function oddCase(email: string, rng: Rng): string {
  const [local = "", domain = ""] = email.split("@");
  const cap = (s: string) => s.replace(/(^|[.\-_])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return rng() < 0.5 ? `${cap(local)}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}` : email.toUpperCase();
}

function emails(rng: Rng, first: string, last: string): FieldValue[] {
  const roll = rng();
  const count = roll < 0.15 ? 0 : roll < 0.87 ? 1 : 2;
  const f = emailSlug(first) || "client";
  const l = emailSlug(last);
  const out: FieldValue[] = [];
  for (let i = 0; i < count; i++) {
    const local = i === 0 && l ? `${f}.${l}` : `${f.charAt(0)}${l || f}${intBelow(rng, 100)}`;
    let email = `${local}@${pick(rng, RU_DOMAINS)}`;
    if (rng() < 0.12) email = oddCase(email, rng);
    out.push(emailValue(email, rng));
    // The same address again in another case.
    if (rng() < 0.04) out.push(emailValue(email === email.toLowerCase() ? email.toUpperCase() : email.toLowerCase(), rng));
  }
  return out;
}

/** A contact's custom fields, or null (about 5%) when it has none, as AmoCRM sends them. */
export function contactFields(rng: Rng, first: string, last: string): CustomFieldValue[] | null {
  if (rng() < 0.05) return null;
  const mail = emails(rng, first, last);
  const tel = phones(rng, mail.length ? 0 : 1);
  const out: CustomFieldValue[] = [];
  if (rng() < 0.2) out.push(field(POSITION_FIELD, "text", [{ value: pick(rng, POSITIONS) }]));
  if (tel.length) out.push(field(PHONE_FIELD, "multitext", tel));
  if (mail.length) out.push(field(EMAIL_FIELD, "multitext", mail));
  return out;
}

/** A literal, not a spread: one object shape for every field keeps 25,000 contacts cheap to build. */
function field(def: { field_id: number; field_name: string; field_code: string }, type: CustomFieldValue["field_type"],
  values: FieldValue[]): CustomFieldValue {
  return { field_id: def.field_id, field_name: def.field_name, field_code: def.field_code, field_type: type, values };
}
