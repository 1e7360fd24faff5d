// Webhooks in the API. Partners register and manage their own endpoints and read their own
// delivery log; operators and admins read every endpoint and delivery, and may disable,
// enable and redeliver (they never see a secret, nor, for operators, a partner's payloads).
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Row } from '../anonymisation/present';
import { idArgument, list, lookup, one } from '../db/loaders';
import type { PageArgs } from '../db/list-query';
import { Payload } from '../graphql/payload';
import { connectionOf, projectionOf } from '../graphql/projection';
import { Access, PlainList, PlainLookup } from '../graphql/root-field';
import { EXPECTED_VERSION, WriteInput } from '../graphql/write-input';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { WebhookDeliveryStatus } from './webhook.enums';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  enableWebhookEndpoint,
  redeliverWebhook,
  type Disabling,
  type EndpointRef,
  type NewEndpoint,
} from './webhook.service';
import { WebhookDeliveryType, WebhookEndpointType } from './webhook.type';

const { ADMIN, OPERATOR, PARTNER } = Role;
const READERS = [ADMIN, OPERATOR, PARTNER];
const args = (cls: Function) => () => projectionOf(cls).listArgs;

const CreateWebhookEndpointInput = WriteInput('CreateWebhookEndpointInput', {
  control: { partnerId: { type: () => ID, description: 'Admins: the partner whose events it receives. Partner keys: omit (always their own)' } },
  from: WebhookEndpointType,
  fields: ['url', 'eventTypes', 'description'],
  required: ['url'],
});
const ref = { id: { type: () => ID, nullable: false }, expectedVersion: EXPECTED_VERSION };
const DeleteWebhookEndpointInput = WriteInput('DeleteWebhookEndpointInput', { control: ref });
const EnableWebhookEndpointInput = WriteInput('EnableWebhookEndpointInput', { control: ref });
const DisableWebhookEndpointInput = WriteInput('DisableWebhookEndpointInput', {
  control: { ...ref, reason: { type: () => String, description: 'Shown as disabledReason' } },
});
const RedeliverWebhookInput = WriteInput('RedeliverWebhookInput', { control: { deliveryId: { type: () => ID, nullable: false } } });

const NewWebhookEndpointPayload = Payload('NewWebhookEndpointPayload', {
  webhookEndpoint: { type: () => WebhookEndpointType },
  secret: { type: () => String, description: 'The signing secret ("whsec_..."): shown this once; verify the webhook-signature header with it' },
});
const WebhookEndpointPayload = Payload('WebhookEndpointPayload', { webhookEndpoint: { type: () => WebhookEndpointType } });
const EnableWebhookEndpointPayload = Payload('EnableWebhookEndpointPayload', {
  webhookEndpoint: { type: () => WebhookEndpointType },
  cursorReset: { type: () => Boolean, description: 'true: the events missed are older than the feed keeps; delivery resumes from now (catch up with a snapshot)' },
});
const DeleteWebhookEndpointPayload = Payload('DeleteWebhookEndpointPayload', { deletedId: { type: () => ID } });
const WebhookDeliveryPayload = Payload('WebhookDeliveryPayload', { webhookDelivery: { type: () => WebhookDeliveryType } });

@Resolver(() => WebhookDeliveryType)
export class WebhookResolver {
  @Query(() => connectionOf(WebhookEndpointType), { description: 'Webhook endpoints (partners: their own), newest first' })
  @Access(...READERS)
  @PlainList(() => WebhookEndpointType)
  webhookEndpoints(@Args(args(WebhookEndpointType)) a: PageArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return list(WebhookEndpointType, a, ctx, info);
  }

  @Query(() => WebhookEndpointType, { nullable: true })
  @Access(...READERS)
  @PlainLookup(() => WebhookEndpointType)
  webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return lookup(WebhookEndpointType, idArgument(WebhookEndpointType, id, ctx), ctx, info);
  }

  @Query(() => connectionOf(WebhookDeliveryType), { description: 'The delivery log (partners: their own endpoints), newest first' })
  @Access(...READERS)
  webhookDeliveries(
    @Args(args(WebhookDeliveryType)) a: PageArgs,
    @Arg('endpointId', () => ID, { nullable: true, description: 'Only this endpoint' }) endpointId: string | undefined,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this state' }) status: WebhookDeliveryStatus | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const and = [a.where, endpointId === undefined ? undefined : { endpointId: { eq: endpointId } }, status === undefined ? undefined : { status: { eq: status } }].filter(Boolean);
    return list(WebhookDeliveryType, { ...a, where: and.length > 0 ? { and } : undefined } as PageArgs, ctx, info);
  }

  @FieldResolver()
  payload(@Root() row: Row, @Ctx() ctx: Context) {
    // Rendered for the partner (its pseudonyms): the partner's own, and admins', to read.
    return ctx.principal.role === PARTNER || ctx.principal.role === ADMIN ? (row.$payload ?? null) : null;
  }

  @Mutation(() => NewWebhookEndpointPayload, { description: 'Register an endpoint: your change-feed events from now on are POSTed to it, signed; the secret is in this answer only' })
  @Access(ADMIN, PARTNER)
  async createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: NewEndpoint, @Ctx() ctx: Context) {
    const { id, secret } = await createWebhookEndpoint(input, ctx);
    return { webhookEndpoint: await one(WebhookEndpointType, id, ctx), secret };
  }

  @Mutation(() => DeleteWebhookEndpointPayload, { description: 'Delete an endpoint and its delivery log; nothing more is sent to it' })
  @Access(ADMIN, PARTNER)
  async deleteWebhookEndpoint(@Arg('input', () => DeleteWebhookEndpointInput) input: EndpointRef, @Ctx() ctx: Context) {
    return { deletedId: String(await deleteWebhookEndpoint(input, ctx)) };
  }

  @Mutation(() => WebhookEndpointPayload, { description: 'Stop sending to an endpoint; events wait in the feed (as long as it keeps them) until it is enabled' })
  @Access(...READERS)
  async disableWebhookEndpoint(@Arg('input', () => DisableWebhookEndpointInput) input: Disabling, @Ctx() ctx: Context) {
    return { webhookEndpoint: await one(WebhookEndpointType, await disableWebhookEndpoint(input, ctx), ctx) };
  }

  @Mutation(() => EnableWebhookEndpointPayload, { description: 'Send to a disabled endpoint again: the deliveries waiting and the events since it stopped follow' })
  @Access(...READERS)
  async enableWebhookEndpoint(@Arg('input', () => EnableWebhookEndpointInput) input: EndpointRef, @Ctx() ctx: Context) {
    const { id, cursorReset } = await enableWebhookEndpoint(input, ctx);
    return { webhookEndpoint: await one(WebhookEndpointType, id, ctx), cursorReset };
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'A new attempt now, with the same message id (webhook-id)' })
  @Access(...READERS)
  async redeliverWebhook(@Arg('input', () => RedeliverWebhookInput) input: { deliveryId: string }, @Ctx() ctx: Context) {
    return { webhookDelivery: await one(WebhookDeliveryType, await redeliverWebhook(input, ctx), ctx) };
  }
}
