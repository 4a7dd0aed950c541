/** The value as it reads back from JSON storage: fields set to undefined are gone. */
export function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
