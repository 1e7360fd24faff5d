// What armor's depth counter is shown of an operation. Armor counts every field, `__typename`
// included, and skips `__schema` (not `__type`); our depth limit does not count `__typename`
// (a leaf that costs nothing) and measures introspection (`__schema`, `__type` and below)
// against its own cap, so that tools can introspect while `ofType { ofType { ... } }` towers
// cannot. So armor measures two views of each operation:
// - ordinary: without `__typename` and without introspection;
// - introspection: without `__typename`, only the paths that reach into introspection.
// A field whose selection keeps nothing still counts as one level. Fragment spreads stay
// spreads (armor follows them through the context's getFragment, once each): a fragment is
// viewed once per position (inside introspection or not), under its own name in the view; a
// fragment cycle (reported by NoFragmentCyclesRule) is cut.
import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

export type ViewKind = 'ordinary' | 'introspection';

export class DepthView {
  /**
   * The validation context to give armor: it serves the viewed fragments. Armor's depth
   * counter calls nothing else on it. (Not `Object.create(source)`: a ValidationContext made
   * a prototype turns slow for every other rule of the validation, about 25 µs a document.)
   */
  readonly context: ValidationContext;
  /** Whether an introspection field was seen (and left out of an ordinary view). */
  sawIntrospection = false;
  /** Viewed fragments by name in the view; null: nothing of it is measured. */
  private readonly fragments = new Map<string, FragmentDefinitionNode | null>();
  private readonly onStack = new Set<string>();

  constructor(
    private readonly source: ValidationContext,
    private readonly kind: ViewKind,
  ) {
    const getFragment = (name: string) => this.fragments.get(name) ?? undefined;
    this.context = { getFragment } as Partial<ValidationContext> as ValidationContext;
  }

  /** The operation as armor should measure it; undefined when nothing of it is measured. */
  operation(op: OperationDefinitionNode): OperationDefinitionNode | undefined {
    const set = this.selectionSet(op.selectionSet, false);
    return set && (set === op.selectionSet ? op : { ...op, selectionSet: set });
  }

  // The nodes are copied only where something is left out, so a view of an operation without
  // `__typename` or introspection is the operation itself.
  private selectionSet(set: SelectionSetNode, inside: boolean): SelectionSetNode | undefined {
    const kept: SelectionNode[] = [];
    let changed = false;
    for (const sel of set.selections) {
      const viewed = this.selection(sel, inside);
      if (viewed !== sel) changed = true;
      if (viewed) kept.push(viewed);
    }
    if (kept.length === 0) return undefined;
    return changed ? { ...set, selections: kept } : set;
  }

  private selection(sel: SelectionNode, inside: boolean): SelectionNode | undefined {
    switch (sel.kind) {
      case Kind.FIELD:
        return this.field(sel, inside);
      case Kind.INLINE_FRAGMENT: {
        const set = this.selectionSet(sel.selectionSet, inside);
        return set && (set === sel.selectionSet ? sel : { ...sel, selectionSet: set });
      }
      case Kind.FRAGMENT_SPREAD: {
        const name = this.fragment(sel.name.value, inside);
        if (name === undefined) return undefined;
        return name === sel.name.value ? sel : { ...sel, name: { ...sel.name, value: name } };
      }
    }
  }

  private field(field: FieldNode, inside: boolean): FieldNode | undefined {
    const name = field.name.value;
    if (name === '__typename') return undefined;
    const within = inside || INTROSPECTION_ROOTS.has(name);
    if (within) this.sawIntrospection = true;
    if (within && this.kind === 'ordinary') return undefined;
    const set = field.selectionSet && this.selectionSet(field.selectionSet, within);
    if (set) return set === field.selectionSet ? field : { ...field, selectionSet: set };
    // Nothing below is measured: an ordinary field on no path to introspection is not part
    // of the introspection view; otherwise the field is a level of its own.
    if (this.kind === 'introspection' && !within) return undefined;
    return field.selectionSet ? { ...field, selectionSet: undefined } : field;
  }

  /** The name of the fragment's view (`@` cannot occur in a GraphQL name); undefined: nothing measured. */
  private fragment(name: string, inside: boolean): string | undefined {
    const key = inside ? `${name}@introspection` : name;
    const known = this.fragments.get(key);
    if (known !== undefined) return known ? key : undefined;
    const def = this.source.getFragment(name);
    if (!def || this.onStack.has(key)) return undefined;
    this.onStack.add(key);
    const set = this.selectionSet(def.selectionSet, inside);
    this.onStack.delete(key);
    const viewed = set && (set === def.selectionSet && key === name ? def : { ...def, name: { ...def.name, value: key }, selectionSet: set });
    this.fragments.set(key, viewed ?? null);
    return viewed ? key : undefined;
  }
}
