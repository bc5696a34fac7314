// Drag-and-drop target with a real file input inside (the keyboard and screen-reader path).
import { type DragEvent, useId, useState } from "react";
import { formatBytes, t } from "../../i18n";

const ACCEPT = ".csv,.txt,text/csv,text/plain";

function looksLikeCsv(file: File): boolean {
  return /\.(csv|txt)$/i.test(file.name) || file.type === "text/csv" || file.type === "text/plain";
}

export function FileDrop({ file, onFile }: { file: File | null; onFile: (file: File | null) => void }) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  const [rejected, setRejected] = useState(false);
  const take = (f: File | undefined) => {
    if (!f) return;
    const ok = looksLikeCsv(f);
    setRejected(!ok);
    onFile(ok ? f : null);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files[0]);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for a mouse; the file input inside is the keyboard's way.
    <div
      className={`drop${over ? " drop-over" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="import-drop"
    >
      <p className="drop-text">{t.imports.drop}</p>
      <label htmlFor={inputId} className="drop-label">
        {t.imports.choose}
      </label>
      <input
        id={inputId}
        type="file"
        accept={ACCEPT}
        aria-label={t.imports.fileLabel}
        onChange={(e) => take(e.target.files?.[0])}
        data-testid="import-file"
      />
      {file && (
        <p className="drop-file" data-testid="import-chosen">
          {t.imports.chosen(file.name, formatBytes(file.size))}
        </p>
      )}
      {rejected && (
        <p className="error-text" role="alert">
          {t.imports.notCsv}
        </p>
      )}
    </div>
  );
}
