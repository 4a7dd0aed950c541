// The tunable limits of the domain in one value, passed to decide() so a test (or a deployment) can vary one
// limit without touching the others, and no rule reads configuration on its own.

import { DEFAULT_MAX_IN_DOUBT_RESENDS } from './rules/in-doubt';
import type { MessagePartLimits } from './rules/message-parts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './rules/retry-policy';

export interface DomainRules extends MessagePartLimits {
  /** to + cc + bcc together. RFC 5321 only obliges a relay to take 100 per message. */
  readonly maxRecipients: number;
  /** Characters. 998 is RFC 5322's line limit, the longest subject that needs no folding care. */
  readonly maxSubjectLength: number;
  /** UTF-8 bytes of text + html together. */
  readonly maxBodyBytes: number;
  /** How far ahead an email may be scheduled. */
  readonly horizonMs: number;
  readonly defaultMaxAttempts: number;
  readonly maxAttemptsCap: number;
  readonly retry: RetryPolicy;
  /** In-doubt attempts resent before the email fails for review (they do not use up maxAttempts). */
  readonly maxInDoubtResends: number;
}

export const DEFAULT_RULES: DomainRules = Object.freeze({
  maxRecipients: 50,
  maxSubjectLength: 998,
  maxBodyBytes: 512 * 1024,
  horizonMs: 365 * 24 * 60 * 60 * 1000,
  defaultMaxAttempts: 5,
  maxAttemptsCap: 20,
  retry: DEFAULT_RETRY_POLICY,
  maxInDoubtResends: DEFAULT_MAX_IN_DOUBT_RESENDS,
  maxAttachments: 20,
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxAttachmentsTotalBytes: 10 * 1024 * 1024,
});
