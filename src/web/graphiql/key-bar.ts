// The API-key bar above GraphiQL. Its markup is rendered by the server (it is usable before the
// bundle has loaded); this module binds it. The key lives in sessionStorage only (never
// localStorage or a cookie), so it leaves with the tab.
import { bindRevealToggle, normaliseKey, readKey, writeKey } from '../lib/key-store';

export interface KeyBar {
  /** The key as last typed, without a "Bearer " prefix. */
  key(): string;
  /** Called when the user has finished changing the key (the input's change event). */
  onCommit(listener: (key: string) => void): () => void;
  showError(message: string): void;
  clearError(): void;
}

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`GraphiQL page: #${id} is missing`);
  return el;
}

export function bindKeyBar(storageItem: string): KeyBar {
  const bar = element('eg-keybar', HTMLDivElement);
  const input = element('eg-key', HTMLInputElement);
  const toggle = element('eg-key-toggle', HTMLButtonElement);
  const message = element('eg-key-message', HTMLSpanElement);
  const listeners = new Set<(key: string) => void>();
  let apiKey = readKey(storageItem);
  input.value = apiKey;

  const clearError = () => {
    bar.classList.remove('eg-error');
    input.removeAttribute('aria-invalid');
    message.textContent = '';
    message.hidden = true;
  };

  input.addEventListener('input', () => {
    apiKey = normaliseKey(input.value);
    writeKey(storageItem, apiKey);
    clearError();
  });
  input.addEventListener('change', () => {
    if (input.value !== apiKey) input.value = apiKey; // show what is sent, without "Bearer "
    for (const listener of listeners) listener(apiKey);
  });
  bindRevealToggle(input, toggle);

  return {
    key: () => apiKey,
    onCommit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    showError(text) {
      bar.classList.add('eg-error');
      input.setAttribute('aria-invalid', 'true');
      message.textContent = text;
      message.hidden = false;
    },
    clearError,
  };
}
