// The token limit: a document of more tokens is refused before it is parsed further, so a
// megabyte of `{ a a a ... }` costs a bounded parse and no validation.
//
// Not graphql-armor's max-tokens plugin: it parses the document a second time in Apollo's
// parsingDidStart, where a throw (its rejection, or any syntax error) is a 500 that skips the
// plugins that set the status, log and ledger the request. The parser Apollo runs counts the
// same way (graphql-js `maxLexicalTokens`: every token but <EOF>, comments not counted, parsing
// stops at the first token over the limit), so the limit is set there: Apollo refuses the
// document as a parse failure (400, through the usual plugins), and we give it its own code.
import type { GraphQLFormattedError, ParseOptions } from 'graphql';

export function tokenLimitParseOptions(maxTokens: number): ParseOptions {
  return { maxLexicalTokens: maxTokens };
}

/** graphql-js's message for the limit (16.x spells it "more that"). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens\./;

/** A parse failure caused by the token limit, as TOO_MANY_TOKENS; any other error unchanged. */
export function tokenLimitError(formatted: GraphQLFormattedError, maxTokens: number): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED' || !TOKEN_LIMIT.test(formatted.message)) return formatted;
  return {
    message: `The query has more than ${maxTokens} tokens (names, values, punctuation); the limit is ${maxTokens}`,
    locations: formatted.locations,
    extensions: { code: 'TOO_MANY_TOKENS', limit: maxTokens },
  };
}
