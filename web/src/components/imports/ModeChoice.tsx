// Validated (full email checks) or fast (syntax + duplicates) import: two labelled radios.
import type { ImportMode } from "../../../../shared/db/imports";
import { t } from "../../i18n";

export function ModeChoice({ mode, onChange }: { mode: ImportMode; onChange: (mode: ImportMode) => void }) {
  const options: [ImportMode, string, string][] = [
    ["validated", t.imports.validated, t.imports.validatedHint],
    ["fast", t.imports.fast, t.imports.fastHint],
  ];
  return (
    <fieldset className="modes">
      <legend>{t.imports.mode}</legend>
      {options.map(([value, label, hint]) => (
        <label key={value} className="mode">
          <input
            type="radio"
            name="import-mode"
            value={value}
            checked={mode === value}
            onChange={() => onChange(value)}
            data-testid={`import-mode-${value}`}
          />
          {label} <span className="muted small">({hint})</span>
        </label>
      ))}
    </fieldset>
  );
}
