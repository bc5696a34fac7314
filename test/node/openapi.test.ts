// The OpenAPI document validates as OpenAPI 3.1 (Scalar's parser, which compiles JSON Schema with
// code generation that workerd forbids, hence here in Node), and every operation in it says what it
// is and what it answers.
import { validate } from "@scalar/openapi-parser";
import { describe, expect, it } from "vitest";

// Imported by a computed name: this Node program's typecheck (tsconfig.json) does not take in the
// Worker's sources, which the Worker's own program (worker/tsconfig.json) checks.
const WORKER = "../../worker";
const { default: app } = await import(/* @vite-ignore */ `${WORKER}/app`);
const { API_VERSION } = await import(/* @vite-ignore */ `${WORKER}/http/api-docs`);
const { openApiDocument } = await import(/* @vite-ignore */ `${WORKER}/http/openapi`);

type Operation = { summary?: string; tags?: string[]; responses?: Record<string, { content?: Record<string, unknown> }> };

describe("the OpenAPI document", async () => {
  const doc = (await openApiDocument(app, API_VERSION)) as { openapi: string; paths: Record<string, Record<string, Operation>> };

  it("is valid OpenAPI 3.1", async () => {
    const result = await validate(JSON.parse(JSON.stringify(doc)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("gives every operation a summary, a tag, a success answer and its error answers", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(25);
    for (const { name, op } of operations) {
      expect(op.summary, name).toBeTruthy();
      expect(op.tags?.length, name).toBe(1);
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses.some((s) => /^2\d\d$/.test(s)), `${name} has no success answer`).toBe(true);
      expect(statuses, name).toContain("500");
    }
  });
});
