/**
 * Deep-freezes a plain-data value so that mutating a stored value throws (in strict mode)
 * instead of silently changing state behind the journal's back. Typed arrays cannot be frozen
 * and are skipped; an already frozen object is assumed frozen all the way down, which keeps
 * re-storing mostly unchanged values cheap.
 */
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
