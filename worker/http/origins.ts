// EMBED_ALLOWED_ORIGINS: the pages that may frame the widget and talk to it by postMessage.
// Comma-separated origins; a leading `*.` in the host matches any subdomain, as in CSP. Plain
// http:// is refused outside development (DEV_MODE): a page served over http can be altered on the
// way, and whatever it hands the widget, or reads from it, is then the network's.

const ORIGIN = /^(https?):\/\/((?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d{1,5})?$/;

/** Parses the allowlist; throws with the offending entry (a deployment error, said once). */
export function parseAllowedOrigins(value: string, opts: { allowHttp: boolean }): string[] {
  const out: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim().toLowerCase().replace(/\/+$/, "");
    if (!entry) continue;
    const match = ORIGIN.exec(entry);
    if (!match) {
      throw new Error(`'${raw.trim()}' is not an origin: write scheme://host[:port], e.g. https://app.gohighlevel.com or https://*.amocrm.ru.`);
    }
    if (match[1] === "http" && !opts.allowHttp) {
      throw new Error(`'${raw.trim()}' is plain http: only https:// origins may frame the widget (http is for development, DEV_MODE=1).`);
    }
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}
