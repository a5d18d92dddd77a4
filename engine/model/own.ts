/**
 * Looks a name up in a record by its own properties only. Plans name things freely, and a name
 * like `toString` or `constructor` must be "not found", not Object.prototype's function.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function hasOwn(record: object | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}
