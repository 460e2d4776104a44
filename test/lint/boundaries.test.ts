/**
 * The layer boundaries of eslint.boundaries.js hold on the tree and fail when broken: each case
 * lints a small snippet as if it were a file at that path, through ESLint's own API and config.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULE = '@typescript-eslint/no-restricted-imports';
// Only the boundary rule runs (the project's config decides its options): the tree is linted in seconds.
const eslint = new ESLint({ cwd: root, ruleFilter: ({ ruleId }) => ruleId === RULE });

/** The boundary messages ESLint gives `code` placed at `file` (other rules' findings are ignored). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

const use = (names: string) => `\nexport const used = [${names}];\n`;

describe('ESLint boundary rules', () => {
  test('a service importing a plugin, the plugin registry or a surface is an error', async () => {
    const plugin = await boundaryErrors('src/services/example.ts', `import { csvPlugin } from '../../plugins/csv/index.js';${use('csvPlugin')}`);
    assert.equal(plugin.length, 1);
    assert.match(plugin[0]!, /Services never import plugins/);
    const registry = await boundaryErrors('src/services/assets/example.ts', `import { getPlugin } from '../../plugins/registry.js';${use('getPlugin')}`);
    assert.match(registry.join('\n'), /Services never import plugins/);
    for (const surface of ['../api/route-table.js', '../admin/index.js', '../cli/index.js', '../jobs/index.js', '../../components/shared/chip.js', '../http/deps.js']) {
      const found = await boundaryErrors('src/services/example.ts', `import { x } from '${surface}';${use('x')}`);
      assert.match(found.join('\n'), /Services never import a surface/, surface);
    }
    // Below it is fine: the domain, the database helpers, knex itself.
    assert.deepEqual(await boundaryErrors('src/services/example.ts', `import knex from 'knex';\nimport { parseAddress } from '../domain/ip/address.js';\nimport { isPostgres } from '../db/helpers/dialect.js';${use('knex, parseAddress, isPostgres')}`), []);
  });

  test('a plugin importing knex or anything in src/ beyond the domain and the contract is an error', async () => {
    const knex = await boundaryErrors('plugins/example/index.ts', `import type { Knex } from 'knex';\nexport type Db = Knex;\n`);
    assert.match(knex.join('\n'), /Tables are touched only by src\/services/);
    const service = await boundaryErrors('plugins/example/index.ts', `import { UsersService } from '../../src/services/users.js';${use('UsersService')}`);
    assert.match(service.join('\n'), /Plugins import only src\/domain and the plugin contract/);
    const engine = await boundaryErrors('plugins/example/index.ts', `import { reconcile } from '../../src/plugins/reconcile/index.js';${use('reconcile')}`);
    assert.match(engine.join('\n'), /Plugins import only src\/domain and the plugin contract/);
    const contract = `import { definePlugin } from '../../src/plugins/define-plugin.js';\nimport { optionList } from '../../src/plugins/options.js';\nimport { parseAddress } from '../../src/domain/ip/address.js';\nimport { z } from 'zod';${use('definePlugin, optionList, parseAddress, z')}`;
    assert.deepEqual(await boundaryErrors('plugins/example/index.ts', contract), []);
  });

  test('knex outside storage: no import at all in surfaces and the domain; types only in entry points', async () => {
    const value = `import knex from 'knex';${use('knex')}`;
    const type = `import type { Knex } from 'knex';\nexport type Db = Knex;\n`;
    for (const file of ['src/api/routes/example.ts', 'src/admin/resources/example.ts', 'components/example.tsx', 'src/domain/example.ts']) {
      assert.match((await boundaryErrors(file, type)).join('\n'), /Tables are touched only by src\/services/, file);
    }
    for (const file of ['src/cli/example.ts', 'src/jobs/example.ts', 'src/plugins/reconcile/core/example.ts']) {
      assert.match((await boundaryErrors(file, value)).join('\n'), /Tables are touched only by src\/services/, file);
      assert.deepEqual(await boundaryErrors(file, type), [], file);
    }
    for (const file of ['src/db/example.ts', 'src/services/example.ts', 'migrations/example.ts', 'src/admin/adapter/example.ts', 'src/plugins/reconcile/store/example.ts']) {
      assert.deepEqual(await boundaryErrors(file, value), [], file);
    }
  });

  test('the tree keeps every boundary', async () => {
    const results = await eslint.lintFiles(['src', 'plugins', 'components', 'migrations']);
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`));
    assert.deepEqual(broken, []);
  });
});
