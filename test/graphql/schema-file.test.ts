/** The checked-in schema.graphql is the schema the server runs: a change to the API is a visible change to that file. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printedSchema } from '../../src/graphql/print.js';

test('schema.graphql matches the schema built from src/graphql', () => {
  const file = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
  assert.ok(file === printedSchema(), 'schema.graphql is stale: run `npm run graphql:schema` and commit the file');
});
