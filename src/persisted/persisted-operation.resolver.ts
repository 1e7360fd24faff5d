// Partners' persisted operations: register (a list, or graphql-codegen's manifest) and list
// their own. Executing one by id happens before GraphQL (persisted-documents.middleware.ts).
import { GraphQLJSON } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Mutation, Query, Resolver } from 'type-graphql';
import { Payload } from '../graphql/payload';
import { Access } from '../graphql/root-field';
import { WriteInput } from '../graphql/write-input';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { listOperations, registerOperations, type Registration } from './persisted-operation.service';
import { PersistedOperationInput, PersistedOperationType } from './persisted-operation.type';

const RegisterOperationsInput = WriteInput('RegisterOperationsInput', {
  description: 'Operations to register: a list, a graphql-codegen persisted-documents manifest, or both',
  control: {
    operations: { type: () => [PersistedOperationInput], description: 'Each document, with its id if you computed it' },
    manifest: {
      type: () => GraphQLJSON,
      description: 'graphql-codegen\'s persisted-documents.json as it is: { "<sha256 hex>": "<document>" } (presetConfig.persistedDocuments.hashAlgorithm: "sha256")',
    },
  },
});

const RegisterOperationsPayload = Payload('RegisterOperationsPayload', {
  operations: { type: () => [PersistedOperationType], description: 'The operations given, as registered (an id registered before keeps its first registration)' },
});

@Resolver()
export class PersistedOperationResolver {
  @Query(() => [PersistedOperationType], { description: 'The operations you registered, oldest first' })
  @Access(Role.PARTNER)
  persistedOperations(@Ctx() ctx: Context) {
    return listOperations(ctx);
  }

  @Mutation(() => RegisterOperationsPayload, {
    description:
      'Register operations to execute by id (documentId, or extensions.persistedQuery.sha256Hash). Each must validate against your schema; registering an id again changes nothing',
  })
  // Admins are listed because their schema is the full one (every root field is theirs); the
  // service refuses any caller but a partner key: operations belong to one partner.
  @Access(Role.ADMIN, Role.PARTNER)
  async registerOperations(@Arg('input', () => RegisterOperationsInput) input: Registration, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    // info.schema is the caller's own schema (its role and agreement's tier).
    return { operations: await registerOperations(input, ctx, info.schema) };
  }
}
