// Registers a TypeScript enum with type-graphql and remembers its GraphQL name, so that
// generated filter inputs can refer to it.
import { registerEnumType } from 'type-graphql';

const names = new Map<object, string>();

export function defineEnum<T extends object>(enumObj: T, name: string, description?: string): T {
  registerEnumType(enumObj, { name, description });
  names.set(enumObj, name);
  return enumObj;
}

export function enumName(enumObj: object): string {
  const name = names.get(enumObj);
  if (!name) throw new Error('enum used in a filter was not registered with defineEnum()');
  return name;
}
