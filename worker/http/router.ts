import { Hono } from "hono";
import type { AppEnv } from "../env";

/** Every router is made here so they all share AppEnv (bindings and per-request variables). */
export function createRouter() {
  return new Hono<AppEnv>();
}
