import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../shared/db/schema";
import type { Db } from "../env";

const clients = new WeakMap<D1Database, Db>();

/** One Drizzle client per D1 binding (per isolate): it is stateless, so reuse it. */
export function getDb(d1: D1Database): Db {
  let db = clients.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    clients.set(d1, db);
  }
  return db;
}
