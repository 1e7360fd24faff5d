// Keys of in-process caches that embed request values (variables): short keys as they are,
// long ones as their SHA-256, so that a cache bounded in entries is bounded in bytes too.
import crypto from 'node:crypto';

const MAX_PLAIN = 256;

export function cacheKey(text: string): string {
  return text.length <= MAX_PLAIN ? text : `sha256:${crypto.createHash('sha256').update(text).digest('base64')}`;
}
