// The page an install callback answers: what was connected (or why not) and a link to the widget.
// Static HTML, no script, no style, no token: the API's own policy (default-src 'none') fits it.
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function installPage(title: string, lines: string[], link: { href: string; text: string } | null): string {
  const items = lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("");
  const a = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><ul>${items}</ul>${a}</body></html>`;
}
