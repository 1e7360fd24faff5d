// The key bar: the API key lives in sessionStorage only (never localStorage, a cookie or the URL),
// a Show/Hide toggle, and the place where a refused key or a role that cannot see the dashboard
// is reported.
import { bindRevealToggle, normaliseKey, readKey, writeKey } from '../lib/key-store';
import { byId } from './config';

export interface KeyBar {
  key(): string;
  showError(text: string): void;
  clearError(): void;
}

export function createKeyBar(storageItem: string, onSubmit: () => void): KeyBar {
  const form = byId<HTMLFormElement>('ed-keyform');
  const input = byId<HTMLInputElement>('ed-key');
  const toggle = byId<HTMLButtonElement>('ed-key-toggle');
  const message = byId('ed-key-message');
  let apiKey = readKey(storageItem);
  input.value = apiKey;

  function clearError(): void {
    form.classList.remove('ed-error');
    input.removeAttribute('aria-invalid');
    message.textContent = '';
    message.hidden = true;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apiKey = normaliseKey(input.value);
    input.value = apiKey;
    writeKey(storageItem, apiKey);
    clearError();
    onSubmit();
  });
  input.addEventListener('input', clearError);
  bindRevealToggle(input, toggle);

  return {
    key: () => apiKey,
    showError(text) {
      form.classList.add('ed-error');
      input.setAttribute('aria-invalid', 'true');
      message.textContent = text;
      message.hidden = false;
    },
    clearError,
  };
}
