// Reading localStorage defensively: storage may be blocked (Safari iframes) or hold a value an older
// version wrote. React-free (the pre-React first paint reads the column layout too).

/** A stored value, or the fallback when absent, malformed or storage is blocked. */
export function readStored<T>(key: string, fallback: T, isValid: (v: unknown) => v is T): T {
  try {
    const raw = window.localStorage.getItem(key);
    if (raw === null) return fallback;
    const value: unknown = JSON.parse(raw);
    return isValid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}
