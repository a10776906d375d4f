/**
 * Rewrites a JSON Schema into the spelling every MCP client maps cleanly, without changing what
 * it accepts: some clients translate tool schemas into a single-`type` dialect (the OpenAPI
 * subset of function declarations), and drop or reject what they cannot map.
 *
 * - `type: ["string", "null"]` becomes `anyOf: [{type: "string", …}, {type: "null"}]`;
 * - an empty schema `{}` under `additionalProperties` (a free-form record) becomes `true`;
 * - a tuple (`prefixItems` with `items: false`) becomes `items: {anyOf: [its element schemas]}`
 *   with its fixed length. The one exception to "accepts the same": a draft-07 validator (the MCP
 *   SDK client's) ignores `prefixItems` and reads `items: false` as "no items at all", so it would
 *   reject every real value; the looser spelling is read alike by every draft, and the server
 *   still checks each position.
 */
export function portableSchema<T>(schema: T): T {
  return rewrite(schema) as T;
}

type Node = Record<string, unknown>;

/** Keywords that describe the whole value rather than one type of it. */
const SHARED_KEYWORDS = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (!value || typeof value !== 'object') return value;
  const node: Node = {};
  for (const [key, child] of Object.entries(value as Node)) {
    if (key === 'additionalProperties' && isEmptySchema(child)) node[key] = true;
    else if (key === 'properties' || key === '$defs' || key === 'definitions' || key === 'patternProperties') {
      node[key] = Object.fromEntries(Object.entries(child as Node).map(([name, sub]) => [name, rewrite(sub)]));
    } else node[key] = rewrite(child);
  }
  if (Array.isArray(node.prefixItems)) {
    const members = [
      ...(node.prefixItems as unknown[]),
      ...(node.items === false || node.items === undefined ? [] : [node.items]),
    ];
    delete node.prefixItems;
    node.items = members.length === 1 ? members[0] : { anyOf: members };
  }
  const types = node.type;
  if (!Array.isArray(types) || types.length < 2) return node;
  const shared: Node = {};
  const specific: Node = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === 'type') continue;
    (SHARED_KEYWORDS.has(key) ? shared : specific)[key] = child;
  }
  return {
    ...shared,
    anyOf: types.map((type) => (type === 'null' ? { type: 'null' } : { type, ...specific })),
  };
}

function isEmptySchema(value: unknown): boolean {
  return (
    Boolean(value) && typeof value === 'object' && !Array.isArray(value) && Object.keys(value as Node).length === 0
  );
}
