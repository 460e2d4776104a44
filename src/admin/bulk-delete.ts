import type { ActionContext, ActionHandler, ActionRequest, BulkActionResponse } from 'adminjs';

interface DeletesAll {
  deleteAll(ids: string[], context?: ActionContext): Promise<void>;
}

/** The message of an AdminJS or service error: a validation's base error, else its own message. */
function messageOf(err: unknown): string {
  const base = (err as { baseError?: { message?: string } }).baseError?.message;
  return base || (err instanceof Error ? err.message : String(err));
}

/**
 * bulkDelete for our resources: AdminJS's own handler deletes each record separately, so one
 * refusal left the others deleted. Ours deletes all selected records in one transaction or none,
 * and says why when it refuses.
 */
export const bulkDeleteInOneTransaction: ActionHandler<BulkActionResponse> = async (request: ActionRequest, _response, context) => {
  const { records = [], resource, h, currentAdmin } = context;
  const json = records.map((r) => r.toJSON(currentAdmin));
  if (request.method !== 'post') return { records: json };
  if (records.length === 0) return { records: [], notice: { message: 'No records were selected.', type: 'error' } };
  try {
    await (resource as unknown as DeletesAll).deleteAll(records.map((r) => String(r.id())), context);
  } catch (err) {
    return { records: json, notice: { message: `Nothing was deleted: ${messageOf(err)}`, type: 'error' } };
  }
  return {
    records: json,
    notice: { message: records.length > 1 ? 'successfullyBulkDeleted_plural' : 'successfullyBulkDeleted', options: { count: records.length }, resourceId: resource.id(), type: 'success' },
    redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() || resource.id() }),
  };
};
