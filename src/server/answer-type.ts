// The media type of an answer served before Apollo (cached metric answers, early answers).

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The media type Apollo would answer with, for the Accept headers clients send (none, any, or a
 * plain list of the two JSON types, as this project's own clients send); undefined for anything
 * else (weights, wildcards among types, other types), which Apollo negotiates itself.
 */
export function answerType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '' || accept === '*/*') return JSON_TYPE;
  for (const part of accept.split(',')) {
    const type = part.trim().toLowerCase();
    if (type === 'application/json') return JSON_TYPE;
    if (type === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
    return undefined;
  }
  return undefined;
}
