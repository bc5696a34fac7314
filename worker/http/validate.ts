// Request validation whose failures go to the one error handler as a 400 with a code and a
// sentence. hono-openapi's validator also documents the schema in the OpenAPI document (the
// route's parameters or request body), so what is checked and what is documented are one thing.
import type { ValidationTargets } from "hono";
import { validator } from "hono-openapi";
import type { z } from "zod";
import { AppError } from "./errors";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.map((i) => ({
        path: (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
        message: i.message,
      }));
      const first = issues[0];
      const where = first?.path ? `${first.path}: ` : "";
      throw new AppError(
        target === "json" ? "invalid_body" : "invalid_parameter",
        `${where}${first?.message ?? "invalid input"}.`,
        issues,
      );
    }
  });
}
