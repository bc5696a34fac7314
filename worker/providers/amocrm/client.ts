// AmoCRM API v4 client (facts: AmoCRM's v4 docs and its official PHP library). One account lives at its own
// domain (https://<subdomain>.amocrm.ru unless the location says otherwise). Every call goes
// through the rate-limited layer; AmoCRM's 403 answers to excess are throttles there, never
// credential errors. An access token the account refuses (401) is replaced once by the token
// broker and the call repeated.
import type { z } from "zod";
import { type AccessTokens, withToken } from "../access-tokens";
import { UpstreamError, sendJson, type UpstreamContext } from "../upstream";
import { type Params, buildUrl } from "./query";
import { envelopeSchema } from "./schemas";

/** AmoCRM's largest page for every list. */
export const AMO_PAGE = 250;

/** 403 from AmoCRM means "you were blocked for excess": back off like a 429. */
const isBlock = (res: Response) => res.status === 403;

/** `empty`: the answer had no records (a 204, a blank body, or an empty list). */
export type ListPage<T> = { items: T[]; more: boolean; empty: boolean };

export class AmoClient {
  constructor(
    readonly baseUrl: string,
    private readonly tokens: AccessTokens,
  ) {}

  /** One page of a list endpoint; a 204 (no records, or past the end) is an empty last page. */
  async list<T extends z.ZodType>(ctx: UpstreamContext, path: string, entity: string, item: T, params: Params): Promise<ListPage<z.infer<T>>> {
    const url = buildUrl(this.baseUrl, path, params);
    const body = await this.get(ctx, url, envelopeSchema(entity, item));
    if (!body) return { items: [], more: false, empty: true };
    const items = (body._embedded[entity] ?? []) as z.infer<T>[];
    return { items, more: Boolean(body._links?.next?.href) && items.length > 0, empty: items.length === 0 };
  }

  private async get<T extends z.ZodType>(ctx: UpstreamContext, url: string, schema: T): Promise<z.infer<T> | null> {
    const amoCtx: UpstreamContext = { ...ctx, isThrottle: isBlock };
    return withToken(this.tokens, (token) => sendJson({ url, headers: { authorization: `Bearer ${token}` } }, schema, amoCtx));
  }
}

/** The account's API root: the location's base_url, else the account id as amocrm.ru subdomain. */
export function amoBaseUrl(accountId: string, baseUrl: string | null): string {
  if (baseUrl) return baseUrl;
  if (!/^[a-z0-9-]{1,63}$/i.test(accountId)) {
    throw new UpstreamError("client", `AmoCRM account id '${accountId}' is not a subdomain; set the location's base_url.`);
  }
  return `https://${accountId.toLowerCase()}.amocrm.ru`;
}
