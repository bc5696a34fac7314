// AmoCRM's response shapes: HAL lists (`_page`, `_links`, `_embedded`), 204 for nothing to show,
// problem+json errors (AmoCRM v4 docs and its PHP library). Plain Responses, usable from gate and routes.

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ title, type: `https://httpstatus.es/${status}`, status, detail, ...extra }), {
    status, headers: { "content-type": "application/problem+json" },
  });
}

export const amoErrors = {
  unauthorized: (detail = "Invalid access token") => problem(401, "Unauthorized", detail),
  forbidden: () => problem(403, "Forbidden", "Access blocked: too many requests"),
  notFound: (path: string) => problem(404, "Not Found", `No route for ${path}`),
  /** A 400 with AmoCRM's `validation-errors` list. */
  validation: (errors: { path: string; detail: string }[]) =>
    problem(400, "Bad Request", "Request validation failed", {
      "validation-errors": [{ request_id: "0", errors: errors.map((e) => ({ code: "InvalidValue", ...e })) }],
    }),
  /** AmoCRM answers these outside the JSON API (nginx-style plain text). */
  plain: (status: number, text: string) => new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } }),
};

export const noContent = (): Response => new Response(null, { status: 204 });

function pageHref(url: URL, page: number): { href: string } {
  const u = new URL(url);
  u.searchParams.set("page", String(page));
  return { href: u.toString() };
}

/**
 * One page of `items` as a HAL list, or 204 when the page is empty. `next` only when a further
 * non-empty page exists; links keep every query parameter of the request, with `page` replaced.
 */
export function halPage<T>(url: URL, entity: string, items: readonly T[], page: number, limit: number,
  present: (item: T) => unknown = (item) => item): Response {
  const start = (page - 1) * limit;
  const slice = items.slice(start, start + limit);
  if (!slice.length) return noContent();
  const links: Record<string, { href: string }> = { self: pageHref(url, page) };
  if (start + limit < items.length) links.next = pageHref(url, page + 1);
  if (page > 1) links.prev = pageHref(url, page - 1);
  const body = { _page: page, _links: links, _embedded: { [entity]: slice.map(present) } };
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/hal+json" } });
}
