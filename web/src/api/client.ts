import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
export const api = hc<AppType>("/");
type Q = Parameters<typeof api.api["get-location-contacts-fast"]["$get"]>[0];
const x: Q = null!;
export const y: string = x;
