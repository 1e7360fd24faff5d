// Where the operator pastes a key: kept in this tab's sessionStorage only (lib/key-store), and
// checked at once so a wrong key or a key of another role is refused before any screen loads.
import { useState } from 'react';
import { normaliseKey } from '../../lib/key-store';
import type { Access } from '../access';

export function KeyBar({ initialKey, access, onKey }: { initialKey: string; access: Access; onKey: (key: string) => void }) {
  const [value, setValue] = useState(initialKey);
  const [shown, setShown] = useState(false);
  const failed = access.state === 'auth-error' || access.state === 'role-error' || access.state === 'error';
  return (
    <form
      className={`ec-keybar${failed ? ' ec-keybar-error' : ''}`}
      id="ec-keyform"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        onKey(normaliseKey(value));
      }}
    >
      <label htmlFor="ec-key">API key</label>
      <input
        id="ec-key"
        type={shown ? 'text' : 'password'}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        placeholder="eco_…"
        aria-invalid={failed || undefined}
        aria-describedby="ec-key-hint ec-key-message"
        data-lpignore="true"
        data-1p-ignore=""
      />
      <button type="button" onClick={() => setShown(!shown)} aria-pressed={shown} aria-controls="ec-key">
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="submit" id="ec-key-use" className="ec-primary">
        Use key
      </button>
      {initialKey && (
        <button
          type="button"
          id="ec-key-forget"
          onClick={() => {
            setValue('');
            onKey('');
          }}
        >
          Forget
        </button>
      )}
      <span className="ec-hint" id="ec-key-hint">
        {access.state === 'ready' ? `${access.role} key · kept in this tab only` : 'An OPERATOR or ADMIN key; kept in this tab only'}
      </span>
      <span className="ec-key-message" id="ec-key-message" role="alert" hidden={!failed}>
        {failed ? access.message : ''}
      </span>
    </form>
  );
}
