// A new key's secret: the API returns it in this one answer and stores only its hash, so the
// screen says so, offers a copy button, and forgets it when dismissed.
import { useState } from 'react';

async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (plain http, or a policy): select it for a manual copy.
    field?.select();
    return false;
  }
}

export function SecretOnce({ secret, title, onDone }: { secret: string; title: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'manual'>('idle');
  let field: HTMLInputElement | null = null;
  return (
    <div className="ec-secret" role="region" aria-label="New key secret">
      <h3>{title}</h3>
      <p>
        <strong>Shown this once.</strong> Store it now: Ecograph keeps only its hash and cannot show it again.
      </p>
      <div className="ec-secret-row">
        <input
          id="ec-secret"
          readOnly
          value={secret}
          ref={(el) => {
            field = el;
          }}
          onFocus={(e) => e.target.select()}
          aria-label="Secret"
          spellCheck={false}
        />
        <button type="button" id="ec-secret-copy" onClick={() => void copyText(secret, field).then((ok) => setCopied(ok ? 'copied' : 'manual'))}>
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'manual' && <p className="ec-hint">The browser refused the clipboard: the secret is selected, copy it with Ctrl+C.</p>}
      <button type="button" className="ec-primary" id="ec-secret-done" onClick={onDone}>
        I have stored it
      </button>
    </div>
  );
}
