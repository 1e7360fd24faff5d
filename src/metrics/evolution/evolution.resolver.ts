import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Access, INTERNAL_ROLES } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { partnerEvolution } from './evolution.service';
import { PartnerEvolutionType } from './evolution.type';

@Resolver(() => PartnerEvolutionType)
export class PartnerEvolutionResolver {
  @Query(() => [PartnerEvolutionType], {
    description:
      'Partners ranked by their evaluation score over a quarter (pooled orders, shrunk toward the ecosystem mean): among those with enough orders the top share KEEP, the bottom share EXIT, the rest HOLD; the others NOT_ENOUGH_DATA',
  })
  @Access(...INTERNAL_ROLES)
  partnerEvolution(@Arg('quarter', () => String, { description: '"YYYY-Qn", e.g. "2026-Q3"' }) quarter: string, @Ctx() ctx: Context): Promise<PartnerEvolutionType[]> {
    return partnerEvolution(ctx, quarter);
  }
}
