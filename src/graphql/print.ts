import { printSchema } from 'graphql';
import { graphqlSchema } from './schema.js';

/** schema.graphql as checked in: a change to the API shows up in review as a change to this file. */
export function printedSchema(): string {
  return `# Generated from src/graphql by \`npm run graphql:schema\`; do not edit. test/graphql/schema-file.test.ts fails when it is stale.\n\n${printSchema(graphqlSchema())}\n`;
}
