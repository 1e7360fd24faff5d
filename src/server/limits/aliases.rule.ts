// Refuses documents with too many aliases (every alias counts, `__typename` ones included:
// aliases are what turn one cheap field into thousands of resolver calls), and documents with
// too many directives. Both are counted over the whole document, fragments included, once each
// as written.
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

/** The most directives one document may carry, whatever the alias limit. */
export const MAX_DIRECTIVES = 50;

export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext) => {
    let aliases = 0;
    let directives = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Directive() {
        directives += 1;
      },
      Document: {
        leave(document) {
          if (aliases > maxAliases) {
            context.reportError(
              new GraphQLError(`The query uses ${aliases} aliases; the limit is ${maxAliases}`, {
                nodes: [document],
                extensions: { code: 'TOO_MANY_ALIASES', limit: maxAliases, aliases },
              }),
            );
          }
          if (directives > MAX_DIRECTIVES) {
            context.reportError(
              new GraphQLError(`The query uses ${directives} directives; the limit is ${MAX_DIRECTIVES}`, {
                nodes: [document],
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: MAX_DIRECTIVES, directives },
              }),
            );
          }
        },
      },
    };
  };
}
