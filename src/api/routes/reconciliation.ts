import { parseInput } from '../../services/validate.js';
import { ReconciliationQuerySchema } from '../../services/reconciliation/report.js';
import type { RouteSpec } from '../route-table.js';

/** The reconciliation report (issue 15): one kind per page, with the count of every kind in the same scope. */
export const reconciliationRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/reconciliation',
    access: 'read',
    tag: 'reconciliation',
    summary:
      'What the sources and the inventory disagree on, one page of one kind in address order: unknown (an archived IP asset a source saw within days), reclaimable (an IP asset no source has seen for days), mismatch (an IP asset of one project on a device of another). range narrows to a range; counts has every kind in the same scope.',
    query: ReconciliationQuerySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const q = parseInput(ReconciliationQuerySchema, req.query, 'query');
      const s = ctx.services(req).reconciliation;
      const [page, counts] = [await s.page(q), await s.counts({ days: q.days, range: q.range })];
      res.json({ ...page, counts });
    },
  },
];
