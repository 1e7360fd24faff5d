// The codes a mutation answers with. Each carries `field` (the input path at fault) when one
// field is at fault, so that a form can show the message next to it.
import { GraphQLError } from 'graphql';

export type WriteErrorCode =
  /** A value outside what the field accepts (empty, out of range, unknown reference). */
  | 'INVALID_VALUE'
  /** The row does not exist, or not for this caller (rows it does not own look absent). */
  | 'NOT_FOUND'
  /** `expectedVersion` is not the row's version: someone else changed it first. */
  | 'CONFLICT'
  /** A unique value (a slug, a price per service type and unit) is taken. */
  | 'ALREADY_EXISTS'
  /** The row is not in a state that allows this (reinstating an ACTIVE partner, ...). */
  | 'INVALID_STATE'
  /** The Idempotency-Key header was used before with another request. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** The Idempotency-Key header is malformed. */
  | 'BAD_IDEMPOTENCY_KEY'
  /** A webhook URL the operator does not allow (a private, loopback or link-local address, a host off the allow-list). */
  | 'WEBHOOK_TARGET_FORBIDDEN';

export const WRITE_ERROR_STATUS: Record<WriteErrorCode, number> = {
  INVALID_VALUE: 400,
  BAD_IDEMPOTENCY_KEY: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  WEBHOOK_TARGET_FORBIDDEN: 400,
};

export function writeError(code: WriteErrorCode, message: string, extra: { field?: string; [k: string]: unknown } = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function invalid(field: string, message: string): GraphQLError {
  return writeError('INVALID_VALUE', message, { field });
}

export function notFound(what: string, field = 'input.id'): GraphQLError {
  return writeError('NOT_FOUND', `No ${what} with this id for this key`, { field });
}
