// The contact drawer: a modal <dialog> (showModal gives focus containment, Escape and an inert page
// for free). Focus goes to Close on open and back to the row that opened it on close. The dialog's
// own `close` event is not wired to onClose: the effect's cleanup closes it (StrictMode runs effects
// twice), and that must not unmount the drawer it is about to reopen.
import { useEffect, useRef } from "react";
import type { Contact } from "../../../../shared/schemas/contacts";
import type { Api } from "../../api/client";
import { useContactDetail } from "../../hooks/useContactDetail";
import { useNow } from "../../hooks/useNow";
import { formatRelative, t } from "../../i18n";
import { ErrorMessage, LoadingMessage } from "../StateMessage";
import { ContactFields } from "./ContactFields";
import { RelatedList } from "./RelatedList";

type Props = { api: Api; locationId: string | null; contact: Contact; onClose: () => void };

const KINDS = ["tasks", "notes", "conversations", "opportunities"] as const;

export default function ContactDrawer({ api, locationId, contact, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const { detail, retry } = useContactDetail(api, locationId, contact.id);
  const now = useNow(30_000);

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    closeRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus({ preventScroll: true });
    };
  }, []);

  const shown = detail.status === "ready" ? detail.data.contact : contact;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; Escape does the same by the dialog's cancel.
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby="drawer-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}
      data-testid="contact-drawer"
      data-status={detail.status}
    >
      <div className="drawer-body">
        <header className="drawer-head">
          <h2 id="drawer-title" data-testid="drawer-title">
            {shown.name || t.noName}
          </h2>
          <button ref={closeRef} type="button" className="close-button" onClick={onClose} data-testid="drawer-close">
            {t.drawer.close}
          </button>
        </header>
        <ContactFields contact={shown} />
        {detail.status === "loading" && <LoadingMessage text={t.drawer.loading} />}
        {detail.status === "error" && (
          <ErrorMessage error={detail.error} title={t.drawer.error} onRetry={retry} />
        )}
        {detail.status === "ready" && (
          <>
            <p className="muted small">
              {detail.data.related_synced_at ? t.drawer.relatedSynced(formatRelative(detail.data.related_synced_at, now)) : t.drawer.relatedNever}
            </p>
            {KINDS.map((kind) => (
              <RelatedList key={kind} kind={kind} records={detail.data[kind]} />
            ))}
          </>
        )}
      </div>
    </dialog>
  );
}
