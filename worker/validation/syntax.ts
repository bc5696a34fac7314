// Email syntax: a practical subset of RFC 5321/5322 (what mail to real mailboxes uses), pure.
//
// Rules, in order (the first that fails is the reason):
// - surrounding whitespace is trimmed; anything else that is not printable ASCII in the local part
//   is refused (`local_non_ascii`): SMTPUTF8 (RFC 6531) mailboxes exist but most servers refuse them;
// - exactly one `@` splits local and domain (`missing_at`, `multiple_at`);
// - a quoted local part (`"john doe"@x.com`) is refused (`quoted_local`): legal in RFC 5322, but in
//   lists it is nearly always a CSV quoting accident, and mainstream providers do not issue them;
// - local part: 1..64 octets of dot-atom (RFC 5322 atext and dots), no leading, trailing or double dot;
// - domain: IDN labels go through IDNA (UTS #46, via the runtime's URL parser) to ASCII; each label
//   1..63 of [a-z0-9-], not starting or ending with `-`; at least two labels; the TLD is not numeric;
//   IP literals (`[1.2.3.4]`) are refused (`ip_literal`); the ASCII domain is at most 253 octets;
// - the whole ASCII address is at most 254 octets (RFC 5321 path limit less the angle brackets).
// Case: the domain is case-insensitive; the local part is compared case-insensitively too, as every
// mainstream provider does (RFC 5321 leaves it to the receiving host).

export type SyntaxReason =
  | "empty"
  | "missing_at"
  | "multiple_at"
  | "quoted_local"
  | "local_empty"
  | "local_too_long"
  | "local_non_ascii"
  | "local_invalid_char"
  | "local_dots"
  | "domain_empty"
  | "ip_literal"
  | "domain_invalid_char"
  | "domain_no_dot"
  | "domain_label"
  | "domain_too_long"
  | "tld_numeric"
  | "idn_invalid"
  | "address_too_long";

export type SyntaxResult =
  | {
      ok: true;
      /** Lower-cased address as the user wrote it (Unicode domain), for display and storage. */
      display: string;
      /** Lower-cased address with the ASCII (punycode) domain: the identity used for dedupe. */
      key: string;
      /** ASCII (punycode) domain, lower case. */
      domain: string;
    }
  | { ok: false; reason: SyntaxReason };

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Letters, marks, digits, hyphens and dots of any script: what IDNA may turn into a host name.
const UNICODE_DOMAIN = /^[\p{L}\p{M}\p{N}.-]+$/u;
const encoder = new TextEncoder();

function fail(reason: SyntaxReason): SyntaxResult {
  return { ok: false, reason };
}

function toAsciiDomain(domain: string): string | null {
  if (/^[\x21-\x7e]+$/.test(domain)) return domain;
  try {
    // The URL parser applies UTS #46 (mapping, NFC, punycode) exactly as browsers do.
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}

function checkLocal(local: string): SyntaxReason | null {
  if (local.startsWith('"')) return "quoted_local";
  if (local.length === 0) return "local_empty";
  if (/[^\x00-\x7f]/.test(local)) return "local_non_ascii";
  if (!ATEXT.test(local)) return "local_invalid_char";
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "local_dots";
  if (local.length > 64) return "local_too_long";
  return null;
}

function checkDomain(domain: string): { ascii: string } | { reason: SyntaxReason } {
  if (domain.length === 0) return { reason: "domain_empty" };
  if (domain.startsWith("[")) return { reason: "ip_literal" };
  if (!UNICODE_DOMAIN.test(domain)) return { reason: "domain_invalid_char" };
  const labels = domain.split(".");
  if (labels.length < 2) return { reason: "domain_no_dot" };
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) return { reason: "tld_numeric" };
  if (labels.some((l) => l.length === 0 || l.startsWith("-") || l.endsWith("-"))) return { reason: "domain_label" };
  const ascii = toAsciiDomain(domain);
  if (ascii === null) return { reason: "idn_invalid" };
  if (ascii.length > 253) return { reason: "domain_too_long" };
  if (!ascii.split(".").every((l) => ASCII_LABEL.test(l))) return { reason: "domain_label" };
  return { ascii };
}

export function checkSyntax(raw: string): SyntaxResult {
  const input = raw.trim();
  if (input.length === 0) return fail("empty");
  const at = input.lastIndexOf("@");
  if (at < 0) return fail("missing_at");
  const local = input.slice(0, at);
  if (local.startsWith('"')) return fail("quoted_local");
  if (local.includes("@")) return fail("multiple_at");
  const localReason = checkLocal(local);
  if (localReason) return fail(localReason);
  const domainRaw = input.slice(at + 1).toLowerCase().normalize("NFC").replace(/\.$/, "");
  const domain = checkDomain(domainRaw);
  if ("reason" in domain) return fail(domain.reason);
  const localLower = local.toLowerCase();
  const key = `${localLower}@${domain.ascii}`;
  if (encoder.encode(key).length > 254) return fail("address_too_long");
  return { ok: true, display: `${localLower}@${domainRaw}`, key, domain: domain.ascii };
}
