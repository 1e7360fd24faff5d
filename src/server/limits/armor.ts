// graphql-armor's validation rules, run by hand on one operation at a time so that we report
// the rejection ourselves: our code, our message, the operation's location. Armor's own report
// is a BAD_USER_INPUT "Syntax Error: ..." (or a throw, which Apollo turns into a 500), so each
// rule is configured with `propagateOnRejection: false` and an onReject that only captures.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { getEnterLeaveForKind, Kind, type GraphQLError, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from 'graphql';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type OnReject = (context: ValidationContext | null, error: GraphQLError) => void;

/** Every protection off: each counter enables exactly one. */
const NONE: ArmorConfig = {
  blockFieldSuggestion: { enabled: false },
  costLimit: { enabled: false },
  maxAliases: { enabled: false },
  maxDepth: { enabled: false },
  maxDirectives: { enabled: false },
  maxTokens: { enabled: false },
};

/**
 * What armor found over its limit in one operation (its count, when its message gives it:
 * armor reports the count nowhere else), or undefined when the operation passes.
 */
export type Count = (operation: OperationDefinitionNode) => { found: number | undefined } | undefined;

const FOUND = /found (\d+)\.$/;

/**
 * One armor protection as a counter factory: `protection` receives the onReject to install
 * and returns the armor config enabling that protection alone. The factory is called once per
 * validation (armor memoises fragments per validation context).
 */
export function armorCounter(protection: (onReject: OnReject[]) => ArmorConfig): (context: ValidationContext) => Count {
  // Set by onReject during the synchronous call below, read right after it.
  let rejection: GraphQLError | undefined;
  const capture: OnReject = (_context, error) => {
    rejection = error;
  };
  const { validationRules } = new ApolloArmor({ ...NONE, ...protection([capture]) }).protect();
  if (validationRules.length !== 1) throw new Error(`graphql-armor gave ${validationRules.length} rules for one protection`);
  const rule: ValidationRule = validationRules[0]!;
  return (context) => {
    const visitor = rule(context);
    const enter = getEnterLeaveForKind(visitor, Kind.OPERATION_DEFINITION).enter;
    if (!enter) throw new Error('graphql-armor rule does not visit operations');
    return (operation) => {
      rejection = undefined;
      enter.call(visitor, operation, undefined, undefined, [], []);
      // (TypeScript cannot see the callback assign it.)
      const rejected = rejection as GraphQLError | undefined;
      if (!rejected) return undefined;
      const found = FOUND.exec(rejected.message);
      return { found: found ? Number(found[1]) : undefined };
    };
  };
}
