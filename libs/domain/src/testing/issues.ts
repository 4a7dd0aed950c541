// Matchers for ValidationError issues, so a spec can name the field it cares about and, when it matters, the
// wording (exactly, or by pattern).

export interface IssueMatcher {
  readonly field: string;
  readonly reason: unknown;
}

export function issue(field: string, reason?: string | RegExp): IssueMatcher {
  return {
    field,
    reason:
      reason === undefined
        ? expect.any(String)
        : typeof reason === 'string'
          ? reason
          : expect.stringMatching(reason),
  };
}

/** A partial ValidationError holding at least these issues (among possibly others). */
export function withIssues(...issues: IssueMatcher[]): Record<string, unknown> {
  return { code: 'validation', issues: expect.arrayContaining(issues) as unknown };
}
