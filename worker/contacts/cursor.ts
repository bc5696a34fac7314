// Opaque keyset cursors: base64url JSON of the last row's sort value and id, bound to the query
// (sort, order, search) that produced them so they cannot be replayed against another.
import type { ContactSort } from "../../shared/schemas/contacts";
import { AppError } from "../http/errors";

export type CursorKey = { sort: ContactSort; order: "asc" | "desc"; q: string };
export type CursorPosition = { value: string | number; id: number };

function b64url(s: string): string {
  return btoa(unescape(encodeURIComponent(s))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(s: string): string {
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  return decodeURIComponent(escape(atob(std + "=".repeat((4 - (std.length % 4)) % 4))));
}

export function encodeCursor(key: CursorKey, pos: CursorPosition): string {
  return b64url(JSON.stringify([key.sort, key.order, key.q, pos.value, pos.id]));
}

export function decodeCursor(key: CursorKey, cursor: string): CursorPosition {
  let parts: unknown;
  try {
    parts = JSON.parse(fromB64url(cursor));
  } catch {
    throw new AppError("invalid_cursor", "The cursor is not one this API issued.");
  }
  if (!Array.isArray(parts) || parts.length !== 5) {
    throw new AppError("invalid_cursor", "The cursor is not one this API issued.");
  }
  const [sort, order, q, value, id] = parts as unknown[];
  if (sort !== key.sort || order !== key.order || q !== key.q) {
    throw new AppError("invalid_cursor", "The cursor belongs to another sort, order or search: start again without it.");
  }
  const valueOk = key.sort === "name" ? typeof value === "string" : Number.isSafeInteger(value);
  if (!valueOk || !Number.isSafeInteger(id)) {
    throw new AppError("invalid_cursor", "The cursor is not one this API issued.");
  }
  return { value: value as string | number, id: id as number };
}
