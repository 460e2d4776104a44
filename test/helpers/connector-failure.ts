import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/plugins/connector-http.js';

/** The ConnectorError a call rejects with (fails the test when it resolves or rejects with anything else). */
export async function connectorFailure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConnectorError, `a ConnectorError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

/** A value deep inside a parsed JSON answer (`dig(vm, 'status', 'resources', 'nic_list', 0)`), undefined when a step is missing. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}
