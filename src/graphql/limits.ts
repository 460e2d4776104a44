import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext } from 'graphql';

/**
 * Refused before anything runs (validation phase), so a hostile query costs parsing only.
 * Depth 8 fits every real query (ipAssets → items → host → … is 4) with room; introspection
 * (GraphiQL's schema fetch) is exempt from depth and cost. The cost is graphql-armor's static
 * measure (objects 2, scalars 1, times 1.5 per level of depth), blind to list sizes: a page of
 * assets with every field and its project and host costs 65, so 1,000 passes fifteen of them in
 * one request and refuses a query built to be wide. Aliases are how one request repeats a field
 * without a deeper query: 20 is plenty for a screen.
 */
export const LIMITS = { maxDepth: 8, maxCost: 1000, maxAliases: 20 } as const;

/**
 * armor throws "Syntax Error: …" with no code; we report the same finding with a code of
 * its own, so a client can tell a refused query from a broken one; nothing of the query runs.
 */
function refuse(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, err: GraphQLError) => {
        ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code } }));
      },
    ],
  };
}

export function limitPlugins() {
  return [
    maxDepthPlugin({ n: LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...refuse('query_too_deep') }),
    costLimitPlugin({ maxCost: LIMITS.maxCost, ignoreIntrospection: true, ...refuse('query_too_costly') }),
    maxAliasesPlugin({ n: LIMITS.maxAliases, ...refuse('too_many_aliases') }),
  ];
}
