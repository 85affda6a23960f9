// Exports never carry credentials. Snapshot options are stored without secrets (cli/run-scan), and
// facts name the credential that answered ("community #2"), never its value; this is the second
// line: any key that names a secret is dropped, at any depth, before anything is written.

const SECRET_KEY = /community|communities|auth.?key|priv.?key|auth.?pass|priv.?pass|password|passphrase|secret|api.?key|token/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy of `value` without the keys that name secrets. */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isSecretKey(k)) out[k] = redact(v);
    return out;
  }
  return value;
}
