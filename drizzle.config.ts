import { defineConfig } from "drizzle-kit";

// One migrations folder for drizzle-kit, `wrangler d1 migrations apply` and the test pool.
export default defineConfig({
  dialect: "sqlite",
  // Every table file under shared/db (schema.ts: cache and sync; more files as features add tables).
  schema: "./shared/db",
  out: "./drizzle",
});
