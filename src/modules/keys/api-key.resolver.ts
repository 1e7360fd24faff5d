// Keys for operators: list, create (the secret once), rotate, revoke.
import { Arg, Args, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { PageArgs } from '../../db/list-query';
import { list, one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { connectionOf, projectionOf } from '../../graphql/projection';
import { Access, PlainList } from '../../graphql/root-field';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { createApiKey, revokeApiKey, rotateApiKey, type NewApiKey, type Revocation, type Rotation } from './api-key.service';
import { ApiKeyType } from './api-key.type';


const CreateApiKeyInput = WriteInput('CreateApiKeyInput', {
  control: { partnerId: { type: () => ID, description: 'Required for a PARTNER key' } },
  from: ApiKeyType,
  fields: ['role', 'label', 'expiresAt'],
  required: ['role'],
});
const RotateApiKeyInput = WriteInput('RotateApiKeyInput', {
  control: {
    id: { type: () => ID, nullable: false },
    expectedVersion: EXPECTED_VERSION,
    overlapSeconds: { type: () => Int, description: 'How long the old secret keeps working (default KEY_ROTATION_OVERLAP_SECONDS, 1 day)' },
  },
});
const RevokeApiKeyInput = WriteInput('RevokeApiKeyInput', {
  control: { id: { type: () => ID, nullable: false }, expectedVersion: EXPECTED_VERSION, reason: { type: () => String } },
});

const NewApiKeyPayload = Payload('NewApiKeyPayload', {
  apiKey: { type: () => ApiKeyType },
  secret: { type: () => String, description: 'The key itself: shown this once and never stored; send it as "Authorization: Bearer <secret>"' },
  previous: { type: () => ApiKeyType, description: 'rotateApiKey: the replaced key, working until its new expiresAt' },
});
const ApiKeyPayload = Payload('ApiKeyPayload', { apiKey: { type: () => ApiKeyType } });

@Resolver()
export class ApiKeyResolver {
  @Query(() => connectionOf(ApiKeyType), { description: 'API keys (never their secrets), newest first' })
  @Access(...OPERATORS)
  @PlainList(() => ApiKeyType)
  apiKeys(@Args(() => projectionOf(ApiKeyType).listArgs) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(ApiKeyType, a, ctx, info);
  }

  @Mutation(() => NewApiKeyPayload, { description: 'A new key; its secret is in this answer only' })
  @Access(...OPERATORS)
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: NewApiKey, @Ctx() ctx: Context) {
    const { id, secret } = await createApiKey(input, ctx);
    return { apiKey: await one(ApiKeyType, id, ctx), secret, previous: null };
  }

  @Mutation(() => NewApiKeyPayload, { description: 'A new secret for a key; the old one keeps working for the overlap, then stops' })
  @Access(...OPERATORS)
  async rotateApiKey(@Arg('input', () => RotateApiKeyInput) input: Rotation, @Ctx() ctx: Context) {
    const { id, secret, previousId } = await rotateApiKey(input, ctx);
    return { apiKey: await one(ApiKeyType, id, ctx), secret, previous: await one(ApiKeyType, previousId, ctx) };
  }

  @Mutation(() => ApiKeyPayload, { description: 'The key stops working on its next request' })
  @Access(...OPERATORS)
  async revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: Revocation, @Ctx() ctx: Context) {
    return { apiKey: await one(ApiKeyType, await revokeApiKey(input, ctx), ctx) };
  }
}
