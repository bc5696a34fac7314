// The CSV import panel (lazy-loaded): choose or drop a file, pick the check, start; then the tasks
// with live progress, cancel/resume and rejects.csv.
import { useState } from "react";
import type { ImportMode } from "../../../../shared/db/imports";
import type { ImportTaskView } from "../../../../shared/schemas/imports";
import type { Api, ApiError } from "../../api/client";
import { useImports } from "../../hooks/useImports";
import { t } from "../../i18n";
import { saveBlob } from "../../util/download";
import { ErrorMessage, LoadingMessage } from "../StateMessage";
import { FileDrop } from "./FileDrop";
import { ImportTask } from "./ImportTask";
import { ModeChoice } from "./ModeChoice";

export default function ImportPanel({ api, locationId }: { api: Api; locationId: string | null }) {
  const imports = useImports(api, locationId);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>("validated");
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  // A new key empties the file input after an upload (its value cannot be set from script).
  const [pickerKey, setPickerKey] = useState(0);

  const submit = async () => {
    if (!file) return;
    if (await imports.start(file, mode)) {
      setFile(null);
      setPickerKey((n) => n + 1);
    }
  };
  const rejects = async (task: ImportTaskView) => {
    setDownloadError(null);
    const out = await imports.rejects(task.task_id);
    if (out.kind === "ok") saveBlob(out.blob, `${task.task_id}-rejects.csv`);
    else setDownloadError(out);
  };

  return (
    <section className="panel" aria-labelledby="import-title" data-testid="import-panel">
      <h2 id="import-title" className="panel-title">{t.imports.title}</h2>
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <FileDrop key={pickerKey} file={file} onFile={setFile} />
        <ModeChoice mode={mode} onChange={setMode} />
        <button type="submit" className="button primary" disabled={!file || imports.uploading} data-testid="import-start">
          {imports.uploading ? t.imports.uploading : t.imports.start}
        </button>
      </form>
      {imports.actionError && <ErrorMessage error={imports.actionError} title={t.imports.uploadFailed} />}
      {downloadError && <ErrorMessage error={downloadError} title={t.imports.rejectsFailed} />}
      <h3 className="panel-subtitle">{t.imports.tasks}</h3>
      {imports.error && !imports.tasks && <ErrorMessage error={imports.error} onRetry={imports.retry} />}
      {!imports.tasks && !imports.error && <LoadingMessage />}
      {imports.tasks?.length === 0 && <p className="state">{t.imports.noTasks}</p>}
      {imports.tasks && imports.tasks.length > 0 && (
        <ul className="tasks" data-testid="import-tasks">
          {imports.tasks.map((task) => (
            <ImportTask key={task.task_id} task={task} onCancel={imports.cancel} onResume={imports.resume} onRejects={rejects} />
          ))}
        </ul>
      )}
    </section>
  );
}
