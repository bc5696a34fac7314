// zValidator whose failures go to the one error handler as a 400 with a code and a sentence.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { z } from "zod";
import { AppError } from "./errors";

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
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
