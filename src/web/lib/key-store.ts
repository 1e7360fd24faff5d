// The API key a page works with: kept in sessionStorage only (never localStorage or a cookie),
// so it leaves with the tab; a bare key or "Bearer <key>" may be pasted.
export function normaliseKey(value: string): string {
  return value.trim().replace(/^bearer\s+/i, '');
}

export function readKey(item: string): string {
  try {
    return normaliseKey(sessionStorage.getItem(item) ?? '');
  } catch {
    return ''; // storage disabled
  }
}

export function writeKey(item: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(item, value);
    else sessionStorage.removeItem(item);
  } catch {
    // storage disabled: the key lives in the page only
  }
}

/** A Show/Hide button for the key's password input. */
export function bindRevealToggle(input: HTMLInputElement, toggle: HTMLButtonElement): void {
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(show));
  });
}
