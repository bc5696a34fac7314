// Domain lists, pure: reserved names that can never receive mail, and disposable providers.
//
// Disposable list: `disposable-email-domains-js`, the npm build of the community list
// github.com/disposable-email-domains/disposable-email-domains (CC0). That list is actively
// curated (allowlist for false positives, PR review), the npm package republishes it automatically
// on every upstream change, and it is small (~9k domains, ~170 KB), which matters in a Worker
// bundle. ivolo's `disposable-email-domains` stopped updating years ago; `mailchecker` is
// maintained too but ships ~1 MB and mixes in its own syntax rules.
import { disposableEmailBlocklistSet } from "disposable-email-domains-js";

/** RFC 2606, RFC 6761, RFC 6762 (.local), RFC 7686 (.onion), RFC 9476 (.alt), ICANN .internal. */
const RESERVED_TLDS = new Set(["test", "example", "invalid", "localhost", "local", "onion", "alt", "internal"]);
/** RFC 2606 second-level names and RFC 8375 home.arpa: these and every subdomain. */
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org", "home.arpa"];

// Built once per isolate: the package's own helper rebuilds the Set on every call.
let disposable: Set<string> | null = null;

/** The domain and each parent of it: a.b.mailinator.com → [a.b.mailinator.com, b.mailinator.com, mailinator.com]. */
function selfAndParents(domain: string): string[] {
  const labels = domain.split(".");
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join("."));
  return out;
}

export function isReservedDomain(asciiDomain: string): boolean {
  const tld = asciiDomain.slice(asciiDomain.lastIndexOf(".") + 1);
  if (RESERVED_TLDS.has(tld)) return true;
  return RESERVED_DOMAINS.some((d) => asciiDomain === d || asciiDomain.endsWith(`.${d}`));
}

/** A disposable provider, or any subdomain of one (the upstream list asks consumers to match parents). */
export function isDisposableDomain(asciiDomain: string): boolean {
  disposable ??= disposableEmailBlocklistSet();
  const set = disposable;
  return selfAndParents(asciiDomain).some((d) => set.has(d));
}
