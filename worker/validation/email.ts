// Email validation: syntax, reserved and disposable domains, mail routing. Pure: the only I/O is
// the resolver passed in (see doh.ts), so the rules are testable without a network.
//
// SMTP probing (RCPT TO against the mailbox) is not done and cannot be: Workers have no outbound
// port 25. A valid verdict means "well-formed, deliverable domain", not "the mailbox exists".
import { isDisposableDomain, isReservedDomain } from "./domains";
import { checkSyntax, type SyntaxReason } from "./syntax";
import { suggestDomain } from "./typos";

/**
 * What DNS says about a domain's mail routing (RFC 5321 §5.1): MX records, or no MX but an A/AAAA
 * record (the implicit MX), or a null MX (RFC 7505: "0 ."), or nothing, or no such domain, or a
 * failure that says nothing either way.
 */
export type MxAnswer =
  | { kind: "mx" }
  | { kind: "a_fallback" }
  | { kind: "null_mx" }
  | { kind: "no_mail_host" }
  | { kind: "nxdomain" }
  | { kind: "dns_error"; detail: "servfail" | "timeout" | "bad_response" };

export interface MxResolver {
  resolve(asciiDomain: string): Promise<MxAnswer>;
}

export type EmailStatus = "valid" | "invalid" | "blacklist" | "error";

export type EmailReason =
  | "ok"
  | "ok_a_fallback"
  | SyntaxReason
  | "reserved_domain"
  | "disposable_domain"
  | "null_mx"
  | "no_mail_host"
  | "domain_not_found"
  | "dns_servfail"
  | "dns_timeout"
  | "dns_bad_response";

export type EmailVerdict = {
  status: EmailStatus;
  reason: EmailReason;
  /** Normalised address (lower case, Unicode domain) when the syntax is valid. */
  email: string | null;
  /** Dedupe identity (lower case, ASCII domain) when the syntax is valid. */
  key: string | null;
  /** A likely intended domain (reported, not applied). */
  hint: string | null;
};

/** Everything that needs no DNS: the verdict, or the domain still to resolve. */
export type OfflineCheck =
  | { done: true; verdict: EmailVerdict }
  | { done: false; email: string; key: string; domain: string; hint: string | null };

export function checkOffline(raw: string, opts: { domainChecks: boolean }): OfflineCheck {
  const syntax = checkSyntax(raw);
  if (!syntax.ok) {
    return { done: true, verdict: { status: "invalid", reason: syntax.reason, email: null, key: null, hint: null } };
  }
  const base = { email: syntax.display, key: syntax.key };
  const hint = suggestDomain(syntax.domain);
  if (!opts.domainChecks) return { done: true, verdict: { status: "valid", reason: "ok", ...base, hint } };
  if (isReservedDomain(syntax.domain)) {
    return { done: true, verdict: { status: "invalid", reason: "reserved_domain", ...base, hint } };
  }
  if (isDisposableDomain(syntax.domain)) {
    return { done: true, verdict: { status: "blacklist", reason: "disposable_domain", ...base, hint } };
  }
  return { done: false, ...base, domain: syntax.domain, hint };
}

export function verdictFromMx(
  check: Extract<OfflineCheck, { done: false }>,
  answer: MxAnswer,
): EmailVerdict {
  const base = { email: check.email, key: check.key, hint: check.hint };
  switch (answer.kind) {
    case "mx":
      return { status: "valid", reason: "ok", ...base };
    case "a_fallback":
      return { status: "valid", reason: "ok_a_fallback", ...base };
    case "null_mx":
      return { status: "invalid", reason: "null_mx", ...base };
    case "no_mail_host":
      return { status: "invalid", reason: "no_mail_host", ...base };
    case "nxdomain":
      return { status: "invalid", reason: "domain_not_found", ...base };
    case "dns_error":
      return { status: "error", reason: `dns_${answer.detail}`, ...base };
  }
}

/** Validates one address end to end (syntax, lists, then DNS through `resolver`). */
export async function validateEmail(raw: string, resolver: MxResolver): Promise<EmailVerdict> {
  const offline = checkOffline(raw, { domainChecks: true });
  if (offline.done) return offline.verdict;
  return verdictFromMx(offline, await resolver.resolve(offline.domain));
}
