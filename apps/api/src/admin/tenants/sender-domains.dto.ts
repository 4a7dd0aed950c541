import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray } from 'class-validator';
import { domainNameProblem } from '@app/domain';
import { validationFailed, type FieldIssue } from '../../common/validation';

export const MAX_SENDER_DOMAINS = 100;

/** `PUT /v1/admin/tenants/:tenantId/sender-domains`: the whole list; `[]` leaves the tenant none. */
export class PutSenderDomainsDto {
  /** DNS names as in an address (`acme.com`); exact matches only, no wildcards, case ignored. */
  @ApiProperty({ type: [String], maxItems: MAX_SENDER_DOMAINS })
  @IsArray()
  @ArrayMaxSize(MAX_SENDER_DOMAINS)
  domains!: unknown[];
}

/**
 * The domains as stored: lower-cased, duplicates removed, in the order given. Each must be a domain an
 * address may have (the domain's own rule), so a configured domain is one a `from` can match; 400
 * naming `domains[i]` otherwise (checked here rather than by class-validator, which names only `domains`).
 */
export function senderDomains({ domains }: PutSenderDomainsDto): string[] {
  const issues: FieldIssue[] = [];
  const valid: string[] = [];
  domains.forEach((domain, index) => {
    const problem =
      typeof domain !== 'string'
        ? 'must be a string'
        : domain.includes('*')
          ? 'wildcards are not supported: list each domain to send from'
          : domainNameProblem(domain);
    if (problem) issues.push({ field: `domains[${index}]`, reason: problem });
    else valid.push((domain as string).toLowerCase());
  });
  if (issues.length > 0) throw validationFailed(issues);
  return [...new Set(valid)];
}
