// Values only the server can compute (pseudonyms, sealed cursors) inside JSON that PostgreSQL
// builds. The statement writes a marker, chr(1) <handler>:<payload> chr(1), where the value
// belongs; one pass over the text replaces each marker with the handler's JSON. A marker
// cannot be forged by data: every value from a row reaches the text through to_json, which
// escapes control characters, so a raw chr(1) only ever comes from the statement itself.
import { raw, sql, type Sql } from '../sql';

const MARK = '\u0001';
const MARKER_RE = /\u0001(\d+):([^\u0001]*)\u0001/g;

export type MarkerHandler = (payload: string) => string;

export class Markers {
  private readonly handlers: MarkerHandler[] = [];
  private readonly byKey = new Map<string, number>();

  /** The handler's number, registering it under `key` the first time. */
  handler(key: string, make: () => MarkerHandler): number {
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.handlers.push(make()) - 1;
      this.byKey.set(key, i);
    }
    return i;
  }

  /** SQL text: the marker for `payload` (SQL text; null stays null). */
  sql(handler: number, payload: Sql): Sql {
    return sql`(chr(1) || ${raw(`'${handler}:'`)} || ${payload} || chr(1))`;
  }

  resolve(text: string): string {
    if (this.handlers.length === 0 || !text.includes(MARK)) return text;
    const out = text.replace(MARKER_RE, (_m, i: string, payload: string) => this.handlers[Number(i)]!(payload));
    // A marker left over would carry a raw id: never send it.
    if (out.includes(MARK)) throw new Error('a value marker was left unresolved');
    return out;
  }
}
