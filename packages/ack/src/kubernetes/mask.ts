/**
 * Secret masking as a pure function on Kubernetes objects, applied to every object before it
 * is formatted (table rows' objects, describe, json, yaml, jsonpath, lists of mixed kinds and
 * the objects write verbs return).
 */

export const MASK = '[masked]';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function maskValues(data: unknown): unknown {
  if (!isObject(data)) return data;
  return Object.fromEntries(Object.keys(data).map((k) => [k, MASK]));
}

function isSecret(obj: Obj): boolean {
  return obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);
}

function maskSecret(obj: Obj): Obj {
  const out: Obj = { ...obj };
  if ('data' in out) out.data = maskValues(out.data);
  if ('stringData' in out) out.stringData = maskValues(out.stringData);
  const metadata = out.metadata;
  if (isObject(metadata) && isObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    out.metadata = { ...metadata, annotations: { ...metadata.annotations, [LAST_APPLIED]: MASK } };
  }
  return out;
}

/**
 * Returns a copy of `value` with the data, stringData and last-applied annotation of every
 * Secret masked, wherever it sits: a single object, a List, a Table's row objects, an event's
 * embedded object. Other values are returned unchanged (structurally shared).
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!isObject(value)) return value;
  let obj = value;
  if (isSecret(obj)) obj = maskSecret(obj);
  let changed = obj !== value;
  const out: Obj = { ...obj };
  if (obj.kind === 'SecretList' && Array.isArray(obj.items)) {
    // Items of a typed list carry no kind of their own.
    return { ...obj, items: obj.items.map((item) => (isObject(item) ? maskSecret(item) : item)) };
  }
  for (const key of ['items', 'rows', 'object', 'objects']) {
    if (key in obj) {
      const masked = maskSecrets(obj[key]);
      if (masked !== obj[key]) {
        out[key] = masked;
        changed = true;
      }
    }
  }
  return changed ? out : value;
}

/** Whether a kind is a Secret (so the callers can also hide data columns a server computes). */
export const isSecretKind = (kind: string | undefined, group: string | undefined) => kind === 'Secret' && !group;
