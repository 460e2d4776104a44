import { defaultFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { ACCESS, type Access } from '../services/access.js';
import { builder } from './builder.js';
import { allow, type GraphQLContext } from './context.js';
// Each module adds its types and root fields to the builder.
import './catalog/queries.js';
import './devices/devices.js';
import './ipam/assets.js';
import './ipam/pools.js';
import './ipam/ranges.js';
// NetBox sync (issue 16)
import './ipam/netbox.js';

/**
 * Every root field (query or mutation) runs the access check of its level before its resolver;
 * a root field that names no level stops the schema from building, so none can be forgotten.
 */
function guardRootFields(root: GraphQLObjectType | null | undefined): void {
  if (!root) return;
  for (const field of Object.values(root.getFields())) {
    const access = field.extensions.access as Access | undefined;
    if (!access || !(access in ACCESS)) throw new Error(`GraphQL root field ${root.name}.${field.name} names no access level (extensions: level(...)).`);
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, ctx: GraphQLContext, info) => {
      allow(ctx, access);
      return resolve(source, args, ctx, info);
    };
  }
}

function buildSchema(): GraphQLSchema {
  const schema = builder.toSchema({ sortSchema: true });
  guardRootFields(schema.getQueryType());
  guardRootFields(schema.getMutationType());
  return schema;
}

let built: GraphQLSchema | undefined;

/** The schema, built once per process (the builder's types are module-level). */
export function graphqlSchema(): GraphQLSchema {
  return (built ??= buildSchema());
}
