// The house's layer boundaries (docs: ARCHITECTURE "Layers — arrows only point down"), checked as
// import rules. test/lint/boundaries.test.ts shows each one failing when broken.
//
// Flat config gives a file the options of the LAST block that matches it, so every block below
// lists the whole set of restrictions for its files, and the blocks go from general to specific.

/** Where tables are touched: the only places that may import knex for real. */
export const STORAGE = ['src/db/**', 'src/services/**', 'migrations/**', 'src/admin/adapter/**', 'src/plugins/reconcile/store/**'];

/**
 * The plugin contract: what a plugin under plugins/ may import from src/ besides src/domain.
 * define-plugin (the shape), batch (what collect returns), options (its options schema helpers),
 * errors (what it throws), connector-http (the outbound HTTP client with its policy), limits (input caps).
 */
export const PLUGIN_CONTRACT = ['define-plugin', 'batch', 'options', 'errors', 'connector-http', 'limits'];

const KNEX_MESSAGE = 'Tables are touched only by src/services (and src/db, migrations, the panel adapter, the reconcile store): call a service.';

const knex = (allowTypeImports) => ({ name: 'knex', message: KNEX_MESSAGE, allowTypeImports });

const TS = '{ts,tsx}';

export const boundaries = [
  {
    // Entry points and the plugin machinery hold the connection (a `Knex` type) but build no query.
    files: [`src/**/*.${TS}`, `plugins/**/*.${TS}`, `components/**/*.${TS}`],
    ignores: STORAGE,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [knex(true)] }] },
  },
  {
    // Surfaces and the pure domain never see knex at all, not even its types.
    files: [`src/api/**/*.${TS}`, `src/admin/**/*.${TS}`, `src/graphql/**/*.${TS}`, `components/**/*.${TS}`, `src/domain/**/*.${TS}`],
    ignores: ['src/admin/adapter/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [knex(false)] }] },
  },
  {
    // Services are below plugins and surfaces: they never import them (a rule there would be called from one surface only).
    files: [`src/services/**/*.${TS}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)plugins/', message: 'Services never import plugins (plugins/, src/plugins/): plugins call services, and a service gets what it needs from a plugin passed in.' },
            {
              regex: '(^|/)(api|admin|cli|jobs|graphql|http|components)(/|\\.js$)|(^|/)server\\.js$',
              message: 'Services never import a surface or an entry point (src/api, src/admin, src/cli, src/jobs, src/graphql, src/http, components).',
            },
          ],
        },
      ],
    },
  },
  {
    // A plugin sees the domain and the contract only, so a plugin is one folder that cannot reach the tables.
    files: [`plugins/**/*.${TS}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [knex(false)],
          patterns: [
            {
              regex: `(^|/)src/(?!domain/|plugins/(${PLUGIN_CONTRACT.join('|')})\\.js$)`,
              message: `Plugins import only src/domain and the plugin contract (src/plugins/{${PLUGIN_CONTRACT.join(',')}}.js).`,
            },
            { regex: '(^|/)(components|migrations)/', message: 'Plugins import only src/domain and the plugin contract.' },
          ],
        },
      ],
    },
  },
];
