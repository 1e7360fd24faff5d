// WAL positions ("16/B374D848") as numbers, so that the primary's and a replica's positions,
// read over separate connections, can be compared and subtracted in the process.

/** The byte position of an LSN as PostgreSQL prints it; undefined for null or malformed text. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  const m = typeof text === 'string' ? /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text) : null;
  if (!m) return undefined;
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}
