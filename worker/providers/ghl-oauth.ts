// GoHighLevel OAuth over HTTP (apps/oauth.json of GHL's OpenAPI): the token endpoint
// (form-urlencoded: authorization_code and refresh_token grants), a location token minted from
// an agency (Company) token, and the agency's installed locations (paged). No storage here.
import { z } from "zod";
import { UpstreamError, sendJson, type UpstreamContext } from "./upstream";

export const GHL_OAUTH_VERSION = "2021-07-28";

export const ghlTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullish(),
  expires_in: z.number().positive().nullish(),
  scope: z.string().nullish(),
  userType: z.enum(["Company", "Location"]).nullish(),
  companyId: z.string().nullish(),
  locationId: z.string().nullish(),
  approvedLocations: z.array(z.string()).nullish(),
});
export type GhlToken = z.infer<typeof ghlTokenSchema>;

const installedSchema = z.looseObject({
  locations: z.array(z.looseObject({ _id: z.string().nullish(), id: z.string().nullish(), name: z.string().nullish(), isInstalled: z.boolean().nullish() })),
  count: z.number().nullish(),
});

export type GhlApp = { baseUrl: string; clientId: string; clientSecret: string };

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new UpstreamError("malformed", `GoHighLevel answered ${what} with an empty body.`);
  return value;
}

export async function ghlTokenGrant(app: GhlApp, ctx: UpstreamContext, grant: { code: string; redirectUri?: string } | { refreshToken: string }): Promise<GhlToken> {
  const form: Record<string, string> = { client_id: app.clientId, client_secret: app.clientSecret };
  if ("code" in grant) {
    form.grant_type = "authorization_code";
    form.code = grant.code;
    if (grant.redirectUri) form.redirect_uri = grant.redirectUri;
  } else {
    form.grant_type = "refresh_token";
    form.refresh_token = grant.refreshToken;
  }
  const res = await sendJson({ url: `${app.baseUrl}/oauth/token`, method: "POST", headers: {}, form }, ghlTokenSchema, ctx);
  return required(res, "the token request");
}

export async function ghlLocationToken(baseUrl: string, ctx: UpstreamContext, companyToken: string, companyId: string, locationId: string): Promise<GhlToken> {
  const res = await sendJson(
    {
      url: `${baseUrl}/oauth/locationToken`,
      method: "POST",
      headers: { authorization: `Bearer ${companyToken}`, version: GHL_OAUTH_VERSION },
      form: { companyId, locationId },
    },
    ghlTokenSchema,
    ctx,
  );
  return required(res, "the location token request");
}

/** Every location the app is installed on in the agency, page by page (100 a page). */
export async function ghlInstalledLocations(baseUrl: string, ctx: UpstreamContext, companyToken: string, companyId: string, appId: string): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  const limit = 100;
  for (let skip = 0; skip < 10_000; skip += limit) {
    const q = new URLSearchParams({ companyId, appId, isInstalled: "true", skip: String(skip), limit: String(limit) });
    const res = await sendJson(
      { url: `${baseUrl}/oauth/installedLocations?${q}`, headers: { authorization: `Bearer ${companyToken}`, version: GHL_OAUTH_VERSION } },
      installedSchema,
      ctx,
    );
    const page = (res?.locations ?? []).filter((l) => l.isInstalled !== false);
    for (const l of page) {
      const id = l._id ?? l.id;
      if (id) out.push({ id, name: l.name ?? "" });
    }
    const total = res?.count ?? null;
    if ((res?.locations.length ?? 0) < limit || (total !== null && skip + limit >= total)) break;
  }
  return out;
}
