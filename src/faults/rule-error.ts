/** A rule that cannot be used; `field` is the path of the offending member (`match.service`). */
export class FaultRuleError extends Error {
  constructor(readonly field: string, readonly detail: string) {
    super(`${field}: ${detail}`);
  }
}
