// A response's `data` that is already JSON text (built by PostgreSQL for the compiled path):
// spliced into the body as it is instead of being parsed and serialised again.
import type { FormattedExecutionResult } from 'graphql';

export class RawJson {
  constructor(readonly text: string) {}
  /** Anything that serialises the result some other way still gets the right value. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Apollo's `stringifyResult`: its default (JSON.stringify + newline), with RawJson data spliced in. */
export function stringifyResult(value: FormattedExecutionResult): string {
  const data = value.data as unknown;
  if (data instanceof RawJson && value.errors === undefined) {
    const extensions = value.extensions === undefined ? '' : `,"extensions":${JSON.stringify(value.extensions)}`;
    return `{"data":${data.text}${extensions}}\n`;
  }
  return `${JSON.stringify(value)}\n`;
}
