// Runs one panel's load and turns its failure into the panel's state, so one panel's error never
// blanks the others. A refused key is the exception: it stops the whole load.
import { DashError } from './gql';
import type { Panels } from './panels';

export function failureText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof DashError ? err.code : undefined;
  // "FORBIDDEN: …": the API's code tells what to do about it (another key, another role).
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

export async function runPanel(isCurrent: () => boolean, panels: Panels, id: string, task: () => Promise<void>): Promise<void> {
  panels.set(id, 'loading', 'Loading\u2026', 0);
  try {
    await task();
  } catch (err) {
    if (!isCurrent()) return;
    if (err instanceof DashError && err.kind === 'auth') throw err;
    if (err instanceof DashError && err.kind === 'schema') {
      panels.set(id, 'unavailable', `Not available: this server\u2019s API does not offer the data for this panel (${err.message}).`, 0);
    } else {
      panels.set(id, 'error', `Could not load: ${failureText(err)}`, 0);
      if (!(err instanceof DashError)) console.error(err);
    }
  }
}
