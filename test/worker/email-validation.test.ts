// The email module on its own: syntax rules, domain lists, typo hints (pure), then the DoH
// resolver against the sandbox's seeded DNS (cache, TTL, in-flight dedupe, timeouts).
import { describe, expect, it } from "vitest";
import { DohResolver } from "../../worker/validation/doh";
import { isDisposableDomain, isReservedDomain } from "../../worker/validation/domains";
import { type MxAnswer, type MxResolver, validateEmail } from "../../worker/validation/email";
import { checkSyntax } from "../../worker/validation/syntax";
import { suggestDomain } from "../../worker/validation/typos";

const DOH_URL = "https://cloudflare-dns.com/dns-query";

describe("syntax", () => {
  it.each([
    ["John.Doe@Example.COM", "john.doe@example.com"],
    ["  a+tag@acme-mail.com  ", "a+tag@acme-mail.com"],
    ["o'brien@acme-mail.com", "o'brien@acme-mail.com"],
    ["x@sub.domain.co.uk", "x@sub.domain.co.uk"],
    ["user@пример.рф", "user@xn--e1afmkfd.xn--p1ai"],
    ["user@ПРИМЕР.РФ", "user@xn--e1afmkfd.xn--p1ai"],
    ["user@acme-mail.com.", "user@acme-mail.com"],
  ])("accepts %j (key %s)", (raw, key) => {
    const r = checkSyntax(raw);
    expect(r.ok && r.key).toBe(key);
  });

  it.each([
    ["", "empty"],
    ["plainaddress", "missing_at"],
    ["a@b@c.com", "multiple_at"],
    ['"john doe"@acme-mail.com', "quoted_local"],
    ["@acme-mail.com", "local_empty"],
    [`${"a".repeat(65)}@acme-mail.com`, "local_too_long"],
    ["иван@acme-mail.com", "local_non_ascii"],
    ["a(b)@acme-mail.com", "local_invalid_char"],
    [".a@acme-mail.com", "local_dots"],
    ["a.@acme-mail.com", "local_dots"],
    ["a..b@acme-mail.com", "local_dots"],
    ["a@", "domain_empty"],
    ["a@[127.0.0.1]", "ip_literal"],
    ["a@exa_mple.com", "domain_invalid_char"],
    ["a@localhost", "domain_no_dot"],
    ["a@1.2.3.4", "tld_numeric"],
    ["a@-acme.com", "domain_label"],
    ["a@acme..com", "domain_label"],
    [`a@${"b".repeat(64)}.com`, "domain_label"],
    [`a@${Array.from({ length: 50 }, () => "abcde").join(".")}.com`, "domain_too_long"],
    [`${"a".repeat(64)}@${Array.from({ length: 38 }, () => "abcde").join(".")}.com`, "address_too_long"],
  ])("refuses %j as %s", (raw, reason) => {
    expect(checkSyntax(raw)).toEqual({ ok: false, reason });
  });
});

describe("domain lists and hints", () => {
  it("knows reserved names (RFC 2606/6761) and their subdomains", () => {
    for (const d of ["example.com", "mail.example.org", "shop.test", "x.invalid", "host.localhost", "abc.onion", "home.arpa"]) {
      expect(isReservedDomain(d), d).toBe(true);
    }
    for (const d of ["example-mail.com", "gmail.com", "testing.ru"]) expect(isReservedDomain(d), d).toBe(false);
  });

  it("knows disposable providers and their subdomains, not real ones", () => {
    expect(isDisposableDomain("mailinator.com")).toBe(true);
    expect(isDisposableDomain("eu.mailinator.com")).toBe(true);
    expect(isDisposableDomain("gmail.com")).toBe(false);
    expect(isDisposableDomain("acme-mail.com")).toBe(false);
  });

  it.each([
    ["gmial.com", "gmail.com"],
    ["gmail.con", "gmail.com"],
    ["yahooo.com", "yahoo.com"],
    ["outlok.com", "outlook.com"],
    ["hotmail.co", "hotmail.com"],
    ["gmail.com", null],
    ["acme-mail.com", null],
  ])("hint for %s is %s", (domain, hint) => {
    expect(suggestDomain(domain)).toBe(hint);
  });
});

describe("validateEmail with a resolver", () => {
  const fixed = (answer: MxAnswer): MxResolver => ({ resolve: async () => answer });

  it("orders the checks: syntax, reserved, disposable, DNS; reports hints without applying them", async () => {
    expect((await validateEmail("bad", fixed({ kind: "mx" }))).status).toBe("invalid");
    expect(await validateEmail("a@example.com", fixed({ kind: "mx" }))).toMatchObject({ status: "invalid", reason: "reserved_domain" });
    expect(await validateEmail("a@mailinator.com", fixed({ kind: "mx" }))).toMatchObject({ status: "blacklist", reason: "disposable_domain" });
    expect(await validateEmail("a@gmail.con", fixed({ kind: "nxdomain" }))).toMatchObject({
      status: "invalid",
      reason: "domain_not_found",
      email: "a@gmail.con",
      hint: "gmail.com",
    });
    expect(await validateEmail("a@acme-mail.com", fixed({ kind: "a_fallback" }))).toMatchObject({ status: "valid", reason: "ok_a_fallback" });
    expect(await validateEmail("a@acme-mail.com", fixed({ kind: "null_mx" }))).toMatchObject({ status: "invalid", reason: "null_mx" });
    expect(await validateEmail("a@acme-mail.com", fixed({ kind: "dns_error", detail: "timeout" }))).toMatchObject({ status: "error", reason: "dns_timeout" });
  });
});

describe("DoH resolver against the sandbox", () => {
  it.each<[string, MxAnswer["kind"]]>([
    ["acme-mail.com", "mx"],
    ["a-only-mail.com", "a_fallback"],
    ["aaaa-only-mail.com", "a_fallback"],
    ["no-mail-host.com", "no_mail_host"],
    ["null-mx-mail.com", "null_mx"],
    ["nxdomain-mail.com", "nxdomain"],
    ["never-seeded-domain.com", "nxdomain"],
    ["xn--e1afmkfd.xn--p1ai", "mx"],
  ])("%s → %s", async (domain, kind) => {
    expect((await new DohResolver({ url: DOH_URL }).resolve(domain)).kind).toBe(kind);
  });

  it("SERVFAIL and timeouts are errors, not verdicts on the domain", async () => {
    expect(await new DohResolver({ url: DOH_URL }).resolve("servfail-mail.com")).toEqual({ kind: "dns_error", detail: "servfail" });
    expect(await new DohResolver({ url: DOH_URL, timeoutMs: 50 }).resolve("hang-mail.com")).toEqual({ kind: "dns_error", detail: "timeout" });
  });

  it("caches per domain until the TTL runs out, and joins concurrent lookups", async () => {
    let clock = 1_000_000;
    const resolver = new DohResolver({ url: DOH_URL, now: () => clock });
    const answers = await Promise.all(Array.from({ length: 10 }, () => resolver.resolve("slow-mail.com")));
    expect(answers.every((a) => a.kind === "mx")).toBe(true);
    expect(resolver.lookups).toBe(1);
    await resolver.resolve("slow-mail.com");
    expect(resolver.lookups).toBe(1);
    clock += 3600 * 1000 - 1; // the seeded TTL is 3600 s
    await resolver.resolve("slow-mail.com");
    expect(resolver.lookups).toBe(1);
    clock += 2;
    await resolver.resolve("slow-mail.com");
    expect(resolver.lookups).toBe(2);
  });

  it("answers from the sandbox as DoH JSON", async () => {
    const res = await fetch(`${DOH_URL}?name=acme-mail.com&type=MX`, { headers: { accept: "application/dns-json" } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { Status: number; Answer: { type: number; data: string; TTL: number }[] };
    expect(body.Status).toBe(0);
    expect(body.Answer.map((a) => a.data)).toEqual(["10 mx1.acme-mail.com.", "20 mx2.acme-mail.com."]);
  });
});
