// The DNS the sandbox knows: a fixed table, so tests and `npm start` resolve mail domains without
// the internet. Any name not listed is NXDOMAIN. The table is documented in docs/imports.md.

export type SeededDomain = {
  /** MX records as "preference exchange." strings; "0 ." is a null MX (RFC 7505). */
  mx?: string[];
  a?: string[];
  aaaa?: string[];
  /** DNS RCODE for every question about this name: 2 SERVFAIL, 3 NXDOMAIN. Default 0. */
  rcode?: number;
  /** Answer only after this long (a slow authoritative server). */
  delayMs?: number;
  ttl?: number;
};

const mx = (host: string): SeededDomain => ({ mx: [`10 mx1.${host}.`, `20 mx2.${host}.`], a: ["192.0.2.10"], ttl: 3600 });

export const DOMAINS: Record<string, SeededDomain> = {
  // Big providers, so real-looking lists validate in `npm start`.
  "gmail.com": mx("gmail.com"),
  "googlemail.com": mx("googlemail.com"),
  "yahoo.com": mx("yahoo.com"),
  "outlook.com": mx("outlook.com"),
  "hotmail.com": mx("hotmail.com"),
  "icloud.com": mx("icloud.com"),
  "proton.me": mx("proton.me"),
  "mail.ru": mx("mail.ru"),
  "yandex.ru": mx("yandex.ru"),
  "xn--e1afmkfd.xn--p1ai": mx("xn--e1afmkfd.xn--p1ai"), // пример.рф
  // Test domains, one per behaviour.
  "acme-mail.com": mx("acme-mail.com"),
  "globex-mail.com": mx("globex-mail.com"),
  "a-only-mail.com": { a: ["192.0.2.20"], aaaa: ["2001:db8::20"], ttl: 600 },
  "aaaa-only-mail.com": { aaaa: ["2001:db8::21"], ttl: 600 },
  "no-mail-host.com": { ttl: 600 },
  "null-mx-mail.com": { mx: ["0 ."], a: ["192.0.2.30"], ttl: 600 },
  "nxdomain-mail.com": { rcode: 3 },
  "servfail-mail.com": { rcode: 2 },
  "slow-mail.com": { ...mx("slow-mail.com"), delayMs: 300 },
  "hang-mail.com": { ...mx("hang-mail.com"), delayMs: 10_000 },
};

export const RR_TYPE: Record<string, number> = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
