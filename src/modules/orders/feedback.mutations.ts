// Ratings and complaints from the platform's customer app (an operator key), and complaint
// resolution by the partner that served the order.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { WriteInput } from '../../graphql/write-input';
import { FULFILMENT_WRITERS, OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { ComplaintType } from './complaint.type';
import { fileComplaint, rateServiceOrder, resolveComplaint, type ComplaintInput, type RatingInput } from './feedback.service';
import { RatingType } from './rating.type';

const orderId = { type: () => ID, nullable: false, description: 'The service order' };

const RateServiceOrderInput = WriteInput('RateServiceOrderInput', { control: { orderId }, from: RatingType, fields: ['score', 'comment'], required: ['score'] });
const FileComplaintInput = WriteInput('FileComplaintInput', { control: { orderId }, from: ComplaintType, fields: ['category', 'description'], required: ['category'] });
const ResolveComplaintInput = WriteInput('ResolveComplaintInput', { control: { id: { type: () => ID, nullable: false, description: 'The complaint' } } });

const RatingPayload = Payload('RatingPayload', { rating: { type: () => RatingType } });
const ComplaintPayload = Payload('ComplaintPayload', { complaint: { type: () => ComplaintType } });

@Resolver()
export class FeedbackMutations {
  @Mutation(() => RatingPayload, { description: 'A customer’s rating of a fulfilled order, 1-5 (once per order)' })
  @Access(...OPERATORS)
  async rateServiceOrder(@Arg('input', () => RateServiceOrderInput) input: RatingInput, @Ctx() ctx: Context) {
    return { rating: await one(RatingType, await rateServiceOrder(input, ctx), ctx) };
  }

  @Mutation(() => ComplaintPayload, { description: 'A customer’s complaint about an order' })
  @Access(...OPERATORS)
  async fileComplaint(@Arg('input', () => FileComplaintInput) input: ComplaintInput, @Ctx() ctx: Context) {
    return { complaint: await one(ComplaintType, await fileComplaint(input, ctx), ctx) };
  }

  @Mutation(() => ComplaintPayload, { description: 'Mark a complaint about your order resolved (again: no change)' })
  @Access(...FULFILMENT_WRITERS)
  async resolveComplaint(@Arg('input', () => ResolveComplaintInput) input: { id: string }, @Ctx() ctx: Context) {
    return { complaint: await one(ComplaintType, await resolveComplaint(input, ctx), ctx) };
  }
}
