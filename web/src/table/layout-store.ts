// Where a user's column layout is kept (localStorage, per user and location) and how a stored value
// is read back. React-free, so the pre-React first paint (boot/preview.ts) lays columns out exactly
// as the table will.
import type { ColumnSizingState, ColumnVisibilityState } from "@tanstack/react-table";
import { readStored } from "../util/storage";

export function isNumberMap(v: unknown): v is Record<string, number> {
  return typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "number" && Number.isFinite(x));
}

export function isBooleanMap(v: unknown): v is Record<string, boolean> {
  return typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "boolean");
}

export function layoutKey(sub: string, locationId: string): string {
  return `crm-edge:layout:v1:${sub}:${locationId}`;
}

export const visibilityKey = (base: string) => `${base}:visibility`;
export const sizingKey = (base: string) => `${base}:sizing`;

export function readLayout(sub: string, locationId: string): { visibility: ColumnVisibilityState; sizing: ColumnSizingState } {
  const base = layoutKey(sub, locationId);
  return { visibility: readStored(visibilityKey(base), {}, isBooleanMap), sizing: readStored(sizingKey(base), {}, isNumberMap) };
}
