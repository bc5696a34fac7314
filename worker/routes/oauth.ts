// OAuth installs. Public by necessity (the upstream's browser redirect carries no credential of
// ours): the proof is the one-time code, which only the app's client secret can redeem, and the
// `state` when our own install link started the flow. Answers are small HTML pages that say what
// was connected or why not, and never show a token.
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { access, secretsOf } from "../http/access";
import { createRouter } from "../http/router";
import { AppError } from "../http/errors";
import { installAmo } from "../oauth/amocrm-install";
import { appEventSchema, applyAppEvent } from "../oauth/app-events";
import { GHL_PUBLISHED_ED25519_PEM, GHL_PUBLISHED_RSA_PEM } from "../webhooks/ghl-keys";
import { verifyGhlWebhook } from "../webhooks/ghl-signature";
import { docs } from "../http/openapi";
import { appEventAckSchema } from "../../shared/schemas/connections";
import { InstallError, installGhl } from "../oauth/ghl-install";
import { installPage } from "../oauth/page";
import { mintState, stateIsOurs } from "../oauth/state";
import { UpstreamError } from "../providers/upstream";

const param = z.string().min(1).max(2048);

function page(c: Context<AppEnv>, status: 200 | 400 | 502 | 503, title: string, lines: string[], withLink = true) {
  const origin = new URL(c.req.url).origin;
  return c.html(installPage(title, lines, withLink ? { href: `${origin}/`, text: "Open the contacts widget" } : null), status);
}

/** Why an install failed, in words for the person who clicked (never the upstream's body, never a token). */
function failure(err: unknown): { status: 400 | 502; line: string } {
  if (err instanceof UpstreamError && (err.kind === "auth" || err.kind === "client")) {
    return { status: 400, line: "The CRM refused the install: the code may have expired or been used already, or the app's client id or secret is wrong. Start the install again." };
  }
  if (err instanceof InstallError) return { status: 502, line: err.message };
  return { status: 502, line: "The CRM could not be reached or answered with an error. Try the install again in a moment." };
}

export const oauthRoutes = createRouter()
  .get("/ghl/install", access.public("starts a GoHighLevel Marketplace install: a redirect carrying a signed state, no data"), docs({ summary: "Start a GoHighLevel Marketplace install (redirect)", tag: "Connect", ok: { 200: { description: "Not used: the answer is a 302 to the Marketplace.", contentType: "text/html" } } }), async (c) => {
    const { config } = c.var;
    if (!config.GHL_CLIENT_ID || !c.env.GHL_CLIENT_SECRET) return page(c, 503, "GoHighLevel installs are not set up", ["Set GHL_CLIENT_ID and the GHL_CLIENT_SECRET secret."], false);
    const state = await mintState((await secretsOf(c.env)).auth, "ghl");
    const url = new URL("/v2/oauth/chooselocation", config.GHL_MARKETPLACE_URL);
    url.search = new URLSearchParams({
      response_type: "code",
      redirect_uri: `${new URL(c.req.url).origin}/api/oauth/ghl/callback`,
      client_id: config.GHL_CLIENT_ID,
      scope: config.GHL_APP_SCOPES,
      state,
    }).toString();
    return c.redirect(url.toString(), 302);
  })
  .get("/ghl/callback", access.public("finishes a GoHighLevel install: the one-time code is the credential, redeemable only with the app's secret"), docs({ summary: "Finish a GoHighLevel install (OAuth callback)", tag: "Connect", ok: { 200: { description: "A small page saying what was connected (or why not), with a link to the widget.", contentType: "text/html" } } }), async (c) => {
    const { config } = c.var;
    if (!config.GHL_CLIENT_ID || !c.env.GHL_CLIENT_SECRET) return page(c, 503, "GoHighLevel installs are not set up", ["Set GHL_CLIENT_ID and the GHL_CLIENT_SECRET secret."], false);
    const code = param.safeParse(c.req.query("code"));
    if (!code.success) return page(c, 400, "Nothing was connected", ["The install link is missing its code: start the install again from the Marketplace."], false);
    const secrets = await secretsOf(c.env);
    const state = c.req.query("state");
    if (state !== undefined && !(await stateIsOurs(secrets.auth, "ghl", state))) {
      return page(c, 400, "Nothing was connected", ["This install link is not one we started, or it is older than 15 minutes: start the install again."], false);
    }
    try {
      const app = { baseUrl: config.GHL_BASE_URL, clientId: config.GHL_CLIENT_ID, clientSecret: c.env.GHL_CLIENT_SECRET };
      const done = await installGhl(c.var.db, secrets.credentials, config, app, code.data, `${new URL(c.req.url).origin}/api/oauth/ghl/callback`);
      const lines = done.locations.length
        ? done.locations.map((l) => `Connected location ${l.id}${l.name ? ` (${l.name})` : ""}.`)
        : ["The app is installed, but no location is installed yet."];
      const head = done.kind === "Company" ? `GoHighLevel agency ${done.companyId ?? ""} connected` : "GoHighLevel location connected";
      return page(c, 200, head, [...lines, "Their contacts start syncing within five minutes."]);
    } catch (err) {
      const f = failure(err);
      console.warn(JSON.stringify({ event: "oauth.install_failed", provider: "ghl", kind: err instanceof UpstreamError ? err.kind : "other", status: err instanceof UpstreamError ? err.status : null }));
      return page(c, f.status, "Nothing was connected", [f.line], false);
    }
  })
  .get("/amocrm/callback", access.public("finishes an AmoCRM install: the one-time code is the credential, redeemable only with the integration's secret on the account's own host"), docs({ summary: "Finish an AmoCRM install (OAuth callback)", tag: "Connect", ok: { 200: { description: "A small page saying what was connected (or why not), with a link to the widget.", contentType: "text/html" } } }), async (c) => {
    const { config } = c.var;
    if (!config.AMOCRM_CLIENT_ID || !c.env.AMOCRM_CLIENT_SECRET) return page(c, 503, "AmoCRM installs are not set up", ["Set AMOCRM_CLIENT_ID and the AMOCRM_CLIENT_SECRET secret."], false);
    const code = param.safeParse(c.req.query("code"));
    const referer = param.safeParse(c.req.query("referer"));
    if (!code.success || !referer.success) return page(c, 400, "Nothing was connected", ["The install link is missing its code or the account's host (referer): start the install again."], false);
    const secrets = await secretsOf(c.env);
    const state = c.req.query("state");
    if (state !== undefined && state !== "" && !(await stateIsOurs(secrets.auth, "amocrm", state))) {
      return page(c, 400, "Nothing was connected", ["This install link is not one we started, or it is older than 15 minutes: start the install again."], false);
    }
    try {
      const app = { clientId: config.AMOCRM_CLIENT_ID, clientSecret: c.env.AMOCRM_CLIENT_SECRET, redirectUri: `${new URL(c.req.url).origin}/api/oauth/amocrm/callback` };
      const done = await installAmo(c.var.db, c.env, secrets.credentials, config, app, code.data, referer.data);
      return page(c, 200, `AmoCRM account ${done.subdomain} connected`, [...done.locations.map((id) => `Connected location ${id}.`), "Its contacts start syncing within five minutes."]);
    } catch (err) {
      const f = err instanceof InstallError ? { status: 400 as const, line: err.message } : failure(err);
      console.warn(JSON.stringify({ event: "oauth.install_failed", provider: "amocrm", kind: err instanceof UpstreamError ? err.kind : "other", status: err instanceof UpstreamError ? err.status : null }));
      return page(c, f.status, "Nothing was connected", [f.line], false);
    }
  })
  .post("/ghl/app-events", access.public("GoHighLevel's app install/uninstall webhooks: the body's signature (x-ghl-signature or x-wh-signature) is the credential"), docs({ summary: "GoHighLevel app INSTALL/UNINSTALL events (signed)", tag: "Connect", ok: { 200: appEventAckSchema }, body: { description: "GoHighLevel's JSON event, signed over its raw bytes.", contentTypes: ["application/json"] }, errors: ["unauthorized", "invalid_body"] }), async (c) => {
    const raw = await c.req.text();
    const keys = { rsaPem: c.env.GHL_WEBHOOK_PUBLIC_KEY || GHL_PUBLISHED_RSA_PEM, ed25519Pem: c.env.GHL_WEBHOOK_ED25519_PUBLIC_KEY || GHL_PUBLISHED_ED25519_PEM };
    if (!(await verifyGhlWebhook(raw, c.req.raw.headers, keys))) throw new AppError("unauthorized", "The webhook signature does not verify.");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new AppError("invalid_body", "The webhook body is not JSON.");
    }
    const event = appEventSchema.safeParse(body);
    // Other event types reach this URL too when the app subscribes to them: acknowledged, unused.
    if (!event.success) return c.json({ ok: true as const, action: "ignored" as const, locations: 0 }, 200);
    const secrets = await secretsOf(c.env);
    const outcome = await applyAppEvent(c.var.db, c.env, secrets.credentials, c.var.config, event.data);
    console.log(JSON.stringify({ event: "ghl.app_event", type: event.data.type, ...outcome }));
    return c.json({ ok: true as const, ...outcome }, 200);
  });
