// Mutation inputs derived from the declarations: a data field of an input is the projection's
// own field, with its tier and the roles that may set it carried over. The per-role schema
// drops the fields a role may not write (permissions/role-schema.ts), the shield refuses them
// behind it (permissions/write-guard.ts), and the audit record names them by tier. Control
// fields (the row's id, the expected version, a reason) carry no data of the row.
import { Directive, Extensions, Field, InputType, Int } from 'type-graphql';
import { declaredFields, type DeclaredField, type TierInfo } from '../permissions/tier-field';

type TypeFn = () => unknown;

export interface ControlField {
  type: TypeFn;
  nullable?: boolean;
  description?: string;
}

/** The control field every update takes: the version the caller read (optimistic concurrency). */
export const EXPECTED_VERSION: ControlField = {
  type: () => Int,
  description: 'The version you read: the write is refused with CONFLICT if the row changed since',
};

export interface WriteInputOptions {
  description?: string;
  /** The projection whose declared fields are set. */
  from?: Function;
  /** Its fields offered here; each must be declared writable. */
  fields?: string[];
  /** Of those, the ones that must be given (all others are optional: left unchanged or defaulted). */
  required?: string[];
  control?: Record<string, ControlField>;
}

/** What every write input field carries under `extensions.ecographWrite`. */
export interface WriteFieldInfo {
  /** The projection type the value is written to. */
  type: string;
  field: string;
}

export function writeInfoOf(extensions: Record<string, unknown> | null | undefined): { info: TierInfo; write: WriteFieldInfo } | undefined {
  const write = extensions?.ecographWrite as WriteFieldInfo | undefined;
  const info = extensions?.ecograph as TierInfo | undefined;
  return write && info ? { info, write } : undefined;
}

function writableField(from: Function, name: string): DeclaredField {
  const f = declaredFields(from).find((d) => d.name === name);
  if (!f) throw new Error(`${from.name}.${name} is not declared`);
  if (!f.info.write?.length) throw new Error(`${from.name}.${name} is not declared writable`);
  return f;
}

export function WriteInput(name: string, opts: WriteInputOptions): Function {
  @InputType(name, { description: opts.description })
  class Input {}
  const proto = Input.prototype as object;
  for (const [key, c] of Object.entries(opts.control ?? {})) {
    (Field(c.type as () => Function, { nullable: c.nullable ?? true, description: c.description }) as PropertyDecorator)(proto, key);
  }
  if (opts.from) {
    const typeName = opts.from.name.replace(/Type$/, '');
    for (const fieldName of opts.fields ?? []) {
      const f = writableField(opts.from, fieldName);
      const required = opts.required?.includes(fieldName) ?? false;
      const decorators = [
        Field(f.typeFn, { nullable: !required, description: `[${f.info.tier}] writable by ${f.info.write!.join(', ')}` }),
        Directive(`@tier(level: ${f.info.tier})`),
        Extensions({ ecograph: f.info, ecographWrite: { type: typeName, field: fieldName } satisfies WriteFieldInfo }),
      ];
      for (const d of decorators) (d as PropertyDecorator)(proto, fieldName);
    }
  }
  Object.defineProperty(Input, 'name', { value: name });
  return Input;
}
