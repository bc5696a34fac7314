// GET /api/openapi.json and GET /api/docs: the OpenAPI document (built once per isolate) and a
// page that renders it with Scalar. The page's script is one of our own assets (see
// web/build/api-reference-plugin.ts) and the page is locked to this origin by its policy.
import type { Context, Hono } from "hono";
import { API_REFERENCE_SCRIPT } from "../../shared/assets";
import type { AppEnv } from "../env";
import { apiReferencePolicy } from "./embed-headers";
import { openApiDocument } from "./openapi";

export const API_VERSION = "1.0.0";

let document: Promise<unknown> | undefined;

export async function serveOpenApi(app: Hono<AppEnv>, c: Context<AppEnv>): Promise<Response> {
  document ??= openApiDocument(app, API_VERSION).catch((err) => {
    document = undefined;
    throw err;
  });
  c.header("cache-control", "public, max-age=300");
  return c.json(await document, 200);
}

// Nothing from Scalar's servers: no fonts from its CDN, no proxy for "try it" requests (they go to
// this origin), no AI agent (it searches Scalar's registry), no developer toolbar.
const CONFIGURATION = JSON.stringify({
  withDefaultFonts: false,
  proxyUrl: "",
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  showToolbar: "never",
});

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CRM Edge API reference</title>
</head>
<body>
<script id="api-reference" data-url="/api/openapi.json" data-configuration='${CONFIGURATION}'></script>
<script src="${API_REFERENCE_SCRIPT}"></script>
</body>
</html>
`;

export function serveApiReference(c: Context<AppEnv>): Response {
  c.header("content-security-policy", apiReferencePolicy());
  c.header("cache-control", "public, max-age=300");
  return c.html(PAGE, 200);
}
