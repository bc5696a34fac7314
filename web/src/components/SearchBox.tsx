import { t } from "../i18n";

// Controlled input; the caller debounces before it becomes a request (server-side search).
export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <input
      className="search"
      type="search"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={t.searchPlaceholder}
      aria-label={t.searchLabel}
      maxLength={100}
      autoComplete="off"
      spellCheck={false}
      data-testid="search-input"
    />
  );
}
