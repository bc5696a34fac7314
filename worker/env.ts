import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "../shared/db/schema";
import type { Config } from "./config";
import type { TokenClaims } from "./auth/tokens";

export type Db = DrizzleD1Database<typeof schema>;

/** Per-request context every router shares (see createRouter). */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    db: Db;
    auth: TokenClaims;
  };
};
