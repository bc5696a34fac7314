import { defineConfig } from "drizzle-kit";

// One migrations folder for drizzle-kit, `wrangler d1 migrations apply` and the test pool.
export default defineConfig({
  dialect: "sqlite",
  schema: "./shared/db/schema.ts",
  out: "./drizzle",
});
