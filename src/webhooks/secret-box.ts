// Endpoint secrets at rest: deliveries must sign, so the secret is stored, but sealed under a
// key derived from the server secret (a database dump alone cannot sign).
import { Sealer } from '../auth/seal';

const boxes = new Map<string, Sealer>();

function boxFor(serverSecret: string): Sealer {
  let box = boxes.get(serverSecret);
  if (!box) {
    box = new Sealer(serverSecret, 'webhook-secret-v1');
    boxes.set(serverSecret, box);
  }
  return box;
}

export function sealSecret(secret: string, serverSecret: string): string {
  return `v1.${boxFor(serverSecret).seal(secret)}`;
}

export function openSecret(sealed: string, serverSecret: string): string {
  if (!sealed.startsWith('v1.')) throw new Error('unknown sealed webhook secret format');
  return boxFor(serverSecret).open(sealed.slice(3));
}
