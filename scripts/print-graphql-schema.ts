// Writes schema.graphql from the code-first schema (npm run graphql:schema).
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/graphql/print.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
console.log('wrote schema.graphql');
