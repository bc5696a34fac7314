// useState that survives a reload: the value lives in localStorage under `key` (per user and
// location, see useTableLayout). Storage may be unavailable (Safari iframes with storage blocked):
// then it is plain in-memory state.
import { useCallback, useState } from "react";
import { readStored as read } from "../util/storage";

export function useStoredState<T>(key: string, fallback: T, isValid: (v: unknown) => v is T) {
  const [value, setValue] = useState<T>(() => read(key, fallback, isValid));
  const update = useCallback(
    (next: T | ((old: T) => T)) => {
      setValue((old) => {
        const value = typeof next === "function" ? (next as (old: T) => T)(old) : next;
        try {
          window.localStorage.setItem(key, JSON.stringify(value));
        } catch {
          // storage full or blocked: keep the in-memory value
        }
        return value;
      });
    },
    [key],
  );
  return [value, update] as const;
}
