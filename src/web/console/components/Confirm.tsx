// The confirmation asked before every mutation that cannot be undone (revoke, rotate, exit,
// terminate, withdraw consent, ...). A dialog of the page rather than window.confirm, so that it
// can say what will happen, ask for the reason the API records, and be driven by tests.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Asks for a reason (kept in the ledger or the status history). */
  reason?: { label: string; required: boolean };
}

/** The reason typed ('' when none was asked), or null when cancelled. */
type Confirm = (request: ConfirmRequest) => Promise<string | null>;

const ConfirmContext = createContext<Confirm>(() => Promise.resolve(null));

export function useConfirm(): Confirm {
  return useContext(ConfirmContext);
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<{ request: ConfirmRequest; resolve: (v: string | null) => void } | null>(null);
  const confirm = useCallback<Confirm>((request) => new Promise((resolve) => setOpen({ request, resolve })), []);
  const close = (value: string | null) => {
    open?.resolve(value);
    setOpen(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {open && <ConfirmDialog request={open.request} onClose={close} />}
    </ConfirmContext.Provider>
  );
}

function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: (value: string | null) => void }) {
  const [reason, setReason] = useState('');
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const blocked = !!request.reason?.required && !reason.trim();
  return (
    <div className="ec-backdrop">
      <form
        className="ec-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="ec-confirm-title"
        aria-describedby="ec-confirm-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) onClose(reason.trim());
        }}
      >
        <h2 id="ec-confirm-title">{request.title}</h2>
        <div id="ec-confirm-body" className="ec-dialog-body">
          {request.body}
        </div>
        {request.reason && (
          <label className="ec-field">
            <span>{request.reason.label}</span>
            <input ref={first} id="ec-confirm-reason" value={reason} onChange={(e) => setReason(e.target.value)} required={request.reason.required} />
          </label>
        )}
        <div className="ec-actions">
          <button type="button" onClick={() => onClose(null)} ref={request.reason ? undefined : first}>
            Cancel
          </button>
          <button type="submit" className="ec-danger" id="ec-confirm-ok" disabled={blocked}>
            {request.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
