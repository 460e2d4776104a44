/**
 * The CLI's one parser for plugin options given as flags (`-o key=value`, and a connector's free-form
 * `--key value`): what the plugin's zod options schema then validates, as it does for the API and
 * the panel. A repeated key becomes a list; option names take - or _ (`--tls-verify` is `tls_verify`).
 */
export class OptionFlags {
  readonly values: Record<string, unknown> = {};

  put(key: string, value: unknown): void {
    const k = key.trim().replace(/-/g, '_');
    const prior = this.values[k];
    this.values[k] = prior === undefined ? value : Array.isArray(prior) ? [...(prior as unknown[]), value] : [prior, value];
  }

  /** `key=value` as given to the flag named `flag` (for the message when the `=` is missing). */
  putPair(flag: string, pair: string): void {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} needs key=value, got "${pair}"`);
    this.put(pair.slice(0, eq), pair.slice(eq + 1));
  }

  /** Every `key=value` of a repeated flag. */
  static fromPairs(flag: string, pairs: readonly string[]): Record<string, unknown> {
    const flags = new OptionFlags();
    for (const p of pairs) flags.putPair(flag, p);
    return flags.values;
  }
}
