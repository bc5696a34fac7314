// The API documents itself: every route the app serves has a spec (its `docs()`), the document at
// /api/openapi.json lists them all with their errors, and /api/docs is a page that loads Scalar from
// this Worker's own assets under a policy that allows nothing else. (Responses read by the worker
// tests are checked against these specs by api() in helpers.ts; see contract.ts.)
import { describe, expect, it } from "vitest";
import { API_REFERENCE_SCRIPT } from "../../shared/assets";
import app from "../../worker/app";
import { declaredRoutes } from "../../worker/http/access";
import { openApiPath, routeContracts } from "../../worker/http/openapi";
import { ContractError, checkResponse } from "./contract";
import { api } from "./helpers";

type Doc = { openapi: string; paths: Record<string, Record<string, { summary: string; responses: Record<string, { description: string }> }>> };

describe("every route has a spec", () => {
  it("no route of the app lacks docs()", () => {
    const undocumented = routeContracts(app).filter((r) => !r.docs).map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
  });

  it("GET /api/openapi.json lists every route with its success and error answers", async () => {
    const res = await api("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe("3.1.0");
    for (const route of declaredRoutes(app)) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
    }
    // The errors a route's declarations imply are there with their codes.
    const list = doc.paths["/api/contactlists/{id}"]?.get;
    expect(Object.keys(list?.responses ?? {}).sort()).toEqual(["200", "400", "401", "403", "404", "500"]);
    expect(list?.responses["404"]?.description).toContain("`list_not_found`");
    expect(list?.responses["403"]?.description).toContain("`insufficient_scope`");
  });
});

describe("GET /api/docs", () => {
  it("is a page that loads the reference from this origin's assets, under its own policy", async () => {
    const res = await api("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain(`<script src="${API_REFERENCE_SCRIPT}"></script>`);
    expect(html).toContain('data-url="/api/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("other API answers keep the strictest policy", async () => {
    const res = await api("/api/health");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; frame-ancestors/);
  });
});

describe("the response check", () => {
  it("refuses a body that breaks its route's schema, and an undocumented error code", async () => {
    const badBody = new Response(JSON.stringify({ success: true, location: { id: 1 } }), { status: 200 });
    await expect(checkResponse("GET", "/api/admin/locations/x", badBody)).rejects.toThrow(ContractError);
    const undocumented = new Response(JSON.stringify({ success: false, error: { code: "list_not_found", message: "m" } }), { status: 404 });
    await expect(checkResponse("GET", "/api/contacts/x", undocumented)).rejects.toThrow(/not documented/);
    const documented = new Response(JSON.stringify({ success: false, error: { code: "not_found", message: "m" } }), { status: 404 });
    await expect(checkResponse("GET", "/api/contacts/x", documented)).resolves.toBeUndefined();
  });
});
