// Bindings that count what they are asked into an InvocationBudget: D1 (statements and round
// trips), Durable Object stubs (every call), queues (every send) and fetch. `meteredEnv` swaps
// them into an Env, so code run in a budgeted invocation counts without knowing it.
import type { InvocationBudget } from "./budget";

const targets = new WeakMap<object, D1PreparedStatement>();

/** A statement that counts one D1 round trip when run on its own (batches count in `batch`). */
function meteredStatement(stmt: D1PreparedStatement, budget: InvocationBudget): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => meteredStatement(target.bind(...args), budget);
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        return (...args: unknown[]) => {
          budget.d1(1);
          return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        };
      }
      return value.bind(target);
    },
  });
  targets.set(proxy, stmt);
  return proxy;
}

export function meteredD1(d1: D1Database, budget: InvocationBudget): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") return (query: string) => meteredStatement(target.prepare(query), budget);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          budget.d1(statements.length);
          return target.batch(statements.map((s) => targets.get(s) ?? s));
        };
      }
      if (prop === "exec") {
        return (query: string) => {
          budget.d1(1);
          return target.exec(query);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Every method call on a stub is one call to the object (an RPC, a subrequest). */
function meteredStub<T extends object>(stub: T, budget: InvocationBudget): T {
  return new Proxy(stub, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function" || typeof prop === "symbol") return value;
      return (...args: unknown[]) => {
        budget.durableObjectCall();
        // Reflect.apply: on an RPC stub, `.apply` itself would be taken for a remote method.
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

export function meteredNamespace<T extends object>(namespace: T, budget: InvocationBudget): T {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (prop === "get") return (...args: unknown[]) => meteredStub(Reflect.apply(fn, target, args) as object, budget);
      return fn.bind(target);
    },
  });
}

export function meteredQueue<T>(queue: Queue<T>, budget: InvocationBudget): Queue<T> {
  return {
    send: (body, options) => {
      budget.queueSend();
      return queue.send(body, options);
    },
    sendBatch: (messages, options) => {
      budget.queueSend();
      return queue.sendBatch(messages, options);
    },
  } as Queue<T>;
}

/** `fetch` that counts each call as one subrequest (a redirect followed by fetch counts once here). */
export function meteredFetch(budget: InvocationBudget, inner: typeof fetch = fetch): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    budget.fetch();
    return inner(input, init);
  }) as typeof fetch;
}

/** The Worker's env with its D1, Durable Object and queue bindings counted into `budget`. */
export function meteredEnv(env: Env, budget: InvocationBudget): Env {
  return {
    ...env,
    DB: meteredD1(env.DB, budget),
    RATE_LIMITER: meteredNamespace(env.RATE_LIMITER, budget),
    TOKEN_BROKER: meteredNamespace(env.TOKEN_BROKER, budget),
    SYNC_QUEUE: meteredQueue(env.SYNC_QUEUE, budget),
    SYNC_DLQ: meteredQueue(env.SYNC_DLQ, budget),
    IMPORT_QUEUE: meteredQueue(env.IMPORT_QUEUE, budget),
    IMPORT_DLQ: meteredQueue(env.IMPORT_DLQ, budget),
  };
}
