// Events and state are compared and stored as JSON, where `{ text: undefined }` and `{}` differ in memory but
// not once stored. Leaving absent fields out altogether keeps a replayed value equal to the original.

/** `{ [key]: value }` when value is defined, else `{}`: spread it into an object literal. */
export function optional<Key extends string, Value>(
  key: Key,
  value: Value | undefined,
): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}
