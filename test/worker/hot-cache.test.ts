// Hot reads: a location's state is remembered for LOCATION_STATE_CACHE_MS, page bodies for as long
// as the data version they were built from. Real D1, an injected clock, D1 calls counted.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactListQuerySchema } from "../../shared/schemas/contacts";
import { readConfig } from "../../worker/config";
import { BoundedCache } from "../../worker/contacts/hot-cache";
import { listContacts } from "../../worker/contacts/list";
import { getDb } from "../../worker/db/client";
import { createLocation, fakeContact, seedContacts, uid } from "./helpers";

/**
 * Counts D1 round trips: each batch() and exec(), and each prepared statement run on its own
 * (first / all / raw / run). Statements handed to batch() are counted once, as that batch; the
 * real statements behind the wrappers are what reaches the binding.
 */
function countingD1(d1: D1Database) {
  const counter = { calls: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const RUNS = new Set<PropertyKey>(["first", "all", "raw", "run"]);
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrap(value.apply(target, args) as D1PreparedStatement);
        if (RUNS.has(prop)) {
          return (...args: unknown[]) => {
            counter.calls++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  const db = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => wrap(target.prepare(query));
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          counter.calls++;
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      }
      if (prop === "exec") {
        return (query: string) => {
          counter.calls++;
          return target.exec(query);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, counter };
}

describe("BoundedCache", () => {
  it("expires by age, evicts least recently used first, and respects a byte budget", () => {
    const cache = new BoundedCache<string>({ maxEntries: 2, maxBytes: 10 }, (v) => v.length);
    cache.set("a", "aaa", 0);
    cache.set("b", "bbb", 0);
    expect(cache.get("a", 5)).toBe("aaa"); // a is now most recent
    cache.set("c", "ccc", 5); // evicts b
    expect(cache.get("b", 5)).toBeUndefined();
    expect(cache.get("a", 1000, 999)).toBeUndefined(); // 1000 ms old, 999 allowed
    expect(cache.get("c", 1000, 999)).toBe("ccc");
    cache.set("big", "x".repeat(11), 0); // larger than the whole budget: not kept
    expect(cache.get("big", 0)).toBeUndefined();
    cache.set("d", "dddddddd", 0); // 3 + 8 > 10 bytes: c goes
    expect(cache.get("c", 0)).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe("hot reads of the list endpoints", () => {
  it("within the state TTL a repeated read makes no D1 call; past it, a write is seen", async () => {
    const id = uid();
    await createLocation(id);
    await seedContacts(id, [fakeContact(1), fakeContact(2)]);
    const { db: d1, counter } = countingD1(env.DB);
    let clock = Date.now();
    const deps = {
      db: getDb(d1),
      env,
      config: { ...readConfig(env), LOCATION_STATE_CACHE_MS: 1000 },
      now: () => clock,
    };
    const query = contactListQuerySchema.parse({});
    const first = await listContacts(deps, id, query, "fast", undefined);
    expect(first.status).toBe(200);
    expect(counter.calls).toBe(2); // state, then the page

    const again = await listContacts(deps, id, query, "fast", undefined);
    expect(again).toEqual(first);
    const notModified = await listContacts(deps, id, query, "fast", first.etag);
    expect(notModified.status).toBe(304);
    expect(counter.calls).toBe(2);

    await seedContacts(id, [fakeContact(3)]);
    clock += 999;
    const stillCached = await listContacts(deps, id, query, "fast", undefined);
    expect(stillCached.status === 200 && JSON.parse(stillCached.body).total).toBe(2);

    clock += 2;
    const refreshed = await listContacts(deps, id, query, "fast", undefined);
    expect(refreshed.status === 200 && JSON.parse(refreshed.body).total).toBe(3);
    expect(counter.calls).toBe(4); // new state, new data version: the page is read again
  });

  it("with the state cache off, a repeat reads only the state; a body built from that data version is reused", async () => {
    const id = uid();
    await createLocation(id);
    await seedContacts(id, [fakeContact(1)]);
    const { db: d1, counter } = countingD1(env.DB);
    const deps = { db: getDb(d1), env, config: { ...readConfig(env), LOCATION_STATE_CACHE_MS: 0 }, now: Date.now };
    const query = contactListQuerySchema.parse({ limit: 7 });
    const first = await listContacts(deps, id, query, "fast", undefined);
    expect(counter.calls).toBe(2);
    expect(await listContacts(deps, id, query, "fast", undefined)).toEqual(first);
    expect(counter.calls).toBe(3);
  });
});
