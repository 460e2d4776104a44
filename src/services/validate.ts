import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../domain/errors.js';

/** Parses input with a zod schema; failures become a ValidationError with one issue per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(result.error, where));
}

/** Maps zod issues to the wire shape {loc, msg, type}. */
export function zodIssues(error: z.ZodError, where: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const loc: (string | number)[] = [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return { loc: [...loc, ...issue.keys.slice(0, 1)], msg: `Unknown field(s): ${issue.keys.join(', ')}`, type: 'extra_forbidden' };
    }
    return { loc, msg: issue.message, type: issue.code };
  });
}
