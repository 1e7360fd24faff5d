import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Access, EVERY_ROLE } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { partnerEvaluations } from './evaluation.service';
import { PartnerEvaluationType } from './evaluation.type';

@Resolver(() => PartnerEvaluationType)
export class PartnerEvaluationResolver {
  @Query(() => [PartnerEvaluationType], {
    description: 'Evaluation scores of partners for one month, best first; a partner key sees only its own row',
  })
  @Access(...EVERY_ROLE)
  partnerEvaluations(
    @Arg('month', () => String, { description: '"YYYY-MM"' }) month: string,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Only this partner' }) partnerId: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<PartnerEvaluationType[]> {
    return partnerEvaluations(ctx, month, partnerId ?? undefined);
  }
}
