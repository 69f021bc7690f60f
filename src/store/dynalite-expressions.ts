/**
 * Parsed expressions, remembered. dynalite parses every request's expressions (ConditionExpression,
 * UpdateExpression, KeyConditionExpression, FilterExpression, ProjectionExpression) with its PEG
 * parsers, from scratch: profiled on the example's PutItem (`attribute_not_exists(id)`), that was
 * ~0.2 ms of the store thread's CPU per request, more than any other JavaScript of it. Clients send
 * the same few expressions again and again, so `validateExpressions` (dynalite's one entry to its
 * parsers) is answered from a cache when everything it reads is the same.
 *
 * What makes it safe:
 * - the key is every input of `validateExpressions`, exactly: the five expressions and the whole
 *   ExpressionAttributeNames and ExpressionAttributeValues maps, values included (the parsers resolve
 *   `#name` and `:value` into the tree and check the values' types, so a tree is only valid for the
 *   values it was parsed with); the request came as JSON, so equal JSON is equal input;
 * - its outputs are all kept: the message it returns (an invalid expression stays refused with the
 *   same words) and the trees it sets on the request (`_condition`, `_updates`…);
 * - every request gets its own copy of the trees, and the cache keeps a copy of its own: dynalite may
 *   place a tree's values into the item it writes, and nothing one request does reaches another's.
 */

type Json = Record<string, unknown>;

/** What validateExpressions reads from a request. */
const INPUTS = [
  'UpdateExpression',
  'ConditionExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'ProjectionExpression',
  'ExpressionAttributeNames',
  'ExpressionAttributeValues',
] as const;
/** What it sets on the request: the parsed trees. */
const OUTPUTS = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'] as const;

/** Distinct expressions remembered; the least recently used is forgotten first. */
export const EXPRESSION_CACHE_SIZE = 1000;
/** Inputs longer than this (as JSON) are parsed every time: large value maps rarely repeat. */
const MAX_KEY_LENGTH = 8192;

interface Parsed {
  message: string | undefined;
  trees: [output: (typeof OUTPUTS)[number], tree: unknown][];
}

/** A deep copy of a parse tree: arrays, objects (their prototype kept: dynalite uses null ones) and primitives. */
function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out = Object.create(Object.getPrototypeOf(value)) as Json;
  for (const key of Object.keys(value)) out[key] = copy((value as Json)[key]);
  return out as T;
}

/** The cache key: every input, or undefined when the request has no expression (nothing to parse). */
function keyOf(data: Json): string | undefined {
  let any = false;
  const inputs = INPUTS.map((name) => {
    const value = data[name];
    if (value !== undefined && value !== null) any = true;
    return value ?? null;
  });
  if (!any) return undefined;
  const key = JSON.stringify(inputs);
  return key.length > MAX_KEY_LENGTH ? undefined : key;
}

export type ValidateExpressions = (data: Json) => string | undefined;

/** `validate` (dynalite's validateExpressions) answered from a cache of its results. */
export function rememberExpressions(validate: ValidateExpressions, size = EXPRESSION_CACHE_SIZE): ValidateExpressions {
  const cache = new Map<string, Parsed>();
  return (data) => {
    const key = keyOf(data);
    if (key === undefined) return validate(data);
    const known = cache.get(key);
    if (known) {
      // Most recently used last: the oldest unused is forgotten first.
      cache.delete(key);
      cache.set(key, known);
      for (const [output, tree] of known.trees) data[output] = copy(tree);
      return known.message;
    }
    const message = validate(data);
    const trees: Parsed['trees'] = [];
    for (const output of OUTPUTS) if (data[output] !== undefined) trees.push([output, copy(data[output])]);
    if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    cache.set(key, { message, trees });
    return message;
  };
}
