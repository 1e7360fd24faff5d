// A small SQL fragment builder: values never enter the text, they become $n parameters when
// the statement is finalised.
const SLOT = '\u0000';

export class Sql {
  constructor(
    readonly text: string,
    readonly values: readonly unknown[],
  ) {}

  toQuery(): { text: string; values: unknown[] } {
    let i = 0;
    return { text: this.text.replace(/\u0000/g, () => `$${++i}`), values: [...this.values] };
  }
}

export function sql(strings: TemplateStringsArray, ...parts: unknown[]): Sql {
  let text = strings[0];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (part instanceof Sql) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += SLOT;
      values.push(part);
    }
    text += strings[i + 1];
  });
  return new Sql(text, values);
}

/** Trusted text only: identifiers and expressions from declarations, never input. */
export function raw(text: string): Sql {
  if (text.includes(SLOT)) throw new Error('raw SQL must not contain a parameter slot');
  return new Sql(text, []);
}

export function join(parts: Sql[], separator: string): Sql {
  let text = '';
  const values: unknown[] = [];
  parts.forEach((p, i) => {
    if (i > 0) text += separator;
    text += p.text;
    values.push(...p.values);
  });
  return new Sql(text, values);
}

export const TRUE = raw('true');
export const FALSE = raw('false');

export function and(parts: Sql[]): Sql {
  const kept = parts.filter((p) => p !== TRUE);
  if (kept.length === 0) return TRUE;
  if (kept.length === 1) return kept[0];
  return sql`(${join(kept, ' and ')})`;
}

export function or(parts: Sql[]): Sql {
  if (parts.length === 0) return FALSE;
  if (parts.length === 1) return parts[0];
  return sql`(${join(parts, ' or ')})`;
}

export function ident(name: string): Sql {
  return raw(`"${name.replace(/"/g, '""')}"`);
}
