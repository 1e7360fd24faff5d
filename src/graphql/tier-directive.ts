// `@tier(level: ...)` as it appears in the SDL; the decorators write it next to each field.
import { DirectiveLocation, GraphQLDirective, GraphQLEnumType, GraphQLNonNull } from 'graphql';
import { Tier } from '../permissions/tier';

export const DataTierEnum = new GraphQLEnumType({
  name: 'DataTier',
  description: 'How widely a field may be shared: PUBLIC (every partner), ANONYMIZED (entitled partners, after de-identification), SENSITIVE (never a partner)',
  values: Object.fromEntries(Object.values(Tier).map((t) => [t, { value: t }])),
});

export const tierDirective = new GraphQLDirective({
  name: 'tier',
  description: 'The data tier of a field, declared once next to the field',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.INPUT_FIELD_DEFINITION],
  args: { level: { type: new GraphQLNonNull(DataTierEnum) } },
});
