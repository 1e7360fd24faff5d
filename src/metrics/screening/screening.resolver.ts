import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Access, INTERNAL_ROLES } from '../../graphql/root-field';
import type { Context } from '../../server/context';
import { candidateRanking } from './screening.service';
import { CandidateRankingType } from './screening.type';

@Resolver(() => CandidateRankingType)
export class CandidateRankingResolver {
  @Query(() => [CandidateRankingType], {
    description: 'Candidate partners ranked within each capability gap by the weighted screening score (ordered by gap, then rank)',
  })
  @Access(...INTERNAL_ROLES)
  candidateRanking(
    @Arg('capabilityGap', () => String, { nullable: true, description: 'Only this gap (a service type); all gaps when omitted' }) capabilityGap: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<CandidateRankingType[]> {
    return candidateRanking(ctx, capabilityGap ?? undefined);
  }
}
