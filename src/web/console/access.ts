// Which role a key has. The API has no "viewer" query, but every role executes against its own
// cut of the schema (README, "Roles"), so introspection tells them apart without side effects:
// createApiKey exists for OPERATOR and ADMIN only, AccessRecord.changes for ADMIN only,
// Customer not at all for DASHBOARD keys, and PARTNER keys have mutations but not createApiKey.
import { ApiError, describeError } from '../lib/api';
import type { ConsoleWhoAmIQuery } from '../generated/graphql';
import { ConsoleWhoAmIDocument } from '../generated/graphql';
import type { Api } from './api';

export type ConsoleRole = 'ADMIN' | 'OPERATOR';
export type OtherRole = 'PARTNER' | 'ANALYST' | 'DASHBOARD';

export type Access =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ready'; role: ConsoleRole }
  | { state: 'auth-error' | 'role-error' | 'error'; message: string };

export function roleFromSchema(data: ConsoleWhoAmIQuery): ConsoleRole | OtherRole {
  const mutations = new Set((data.mutationType?.fields ?? []).map((f) => f.name));
  if (mutations.has('createApiKey')) {
    return (data.ledgerType?.fields ?? []).some((f) => f.name === 'changes') ? 'ADMIN' : 'OPERATOR';
  }
  if (mutations.size > 0) return 'PARTNER';
  return data.customerType ? 'ANALYST' : 'DASHBOARD';
}

export function roleMessage(role: OtherRole): string {
  return `This is a ${role} key: the console needs an OPERATOR or ADMIN key.`;
}

export async function checkAccess(api: Api): Promise<Access> {
  try {
    const role = roleFromSchema(await api.query(ConsoleWhoAmIDocument, {}));
    if (role === 'ADMIN' || role === 'OPERATOR') return { state: 'ready', role };
    return { state: 'role-error', message: roleMessage(role) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      return { state: 'auth-error', message: `${describeError(err)}. The server does not accept this key: paste an OPERATOR or ADMIN key.` };
    }
    return { state: 'error', message: describeError(err) };
  }
}
