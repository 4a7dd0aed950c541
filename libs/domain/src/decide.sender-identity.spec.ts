// Who may send as whom: a sender's `from` must be at exactly one of its tenant's domains; an admin's may be
// anything. The relay's SPF and DKIM vouch for whatever the service sends, so this is the line between a
// tenant and everyone else's name.

import fc from 'fast-check';
import { decide } from './decide';
import { ForbiddenError, ValidationError } from './domain-errors';
import { initialState } from './email-state';
import type { SenderIdentity } from './rules/sender-identity';
import { emailScheduled, scheduleEmail, TENANT_ID } from './testing/email-fixtures';
import { given } from './testing/given-when-then';
import { issue, withIssues } from './testing/issues';

const acme: SenderIdentity = { kind: 'domains', domains: ['acme.example', 'acme-mail.example'] };

describe('ScheduleEmail: sender identity', () => {
  it('schedules from a domain the tenant has', () => {
    given([])
      .when(scheduleEmail({ senderIdentity: acme }))
      .then([emailScheduled()]);
    given([])
      .when(scheduleEmail({ senderIdentity: acme, from: 'news@acme-mail.example' }))
      .then([emailScheduled({ from: { address: 'news@acme-mail.example' } })]);
  });

  it('compares domains without regard to case, on either side', () => {
    given([])
      .when(
        scheduleEmail({
          senderIdentity: { kind: 'domains', domains: ['ACME.example'] },
          from: 'Billing@Acme.EXAMPLE',
        }),
      )
      .then([emailScheduled({ from: { address: 'Billing@acme.example' } })]);
  });

  it("refuses another party's domain, naming from", () => {
    given([])
      .when(scheduleEmail({ senderIdentity: acme, from: 'CEO <ceo@globex.example>' }))
      .thenThrows(ForbiddenError, {
        code: 'forbidden',
        issue: {
          field: 'from',
          reason: `domain globex.example is not one of tenant ${TENANT_ID}'s sender domains`,
        },
      });
  });

  it.each([
    ['a subdomain', ['acme.example'], 'x@mail.acme.example'],
    ['a parent domain', ['mail.acme.example'], 'x@acme.example'],
    ['a lookalike suffix', ['acme.example'], 'x@evilacme.example'],
    ['a lookalike prefix', ['acme.example'], 'x@acme.example.evil.example'],
  ])('refuses %s: only an exact domain counts', (_, domains, from) => {
    given([])
      .when(scheduleEmail({ senderIdentity: { kind: 'domains', domains }, from }))
      .thenThrows(ForbiddenError, {
        issue: { field: 'from', reason: expect.any(String) as unknown },
      });
  });

  it('refuses every address while the tenant has no domains, saying an admin must configure them', () => {
    given([])
      .when(scheduleEmail({ senderIdentity: { kind: 'domains', domains: [] } }))
      .thenThrows(ForbiddenError, {
        issue: {
          field: 'from',
          reason: expect.stringMatching(
            /no sender domains configured: an admin must configure them first \(PUT \/v1\/admin\/tenants\/<tenantId>\/sender-domains\)/,
          ) as unknown,
        },
      });
  });

  it('lets an admin send from any address', () => {
    given([])
      .when(scheduleEmail({ senderIdentity: { kind: 'any' }, from: 'ceo@globex.example' }))
      .then([emailScheduled({ from: { address: 'ceo@globex.example' } })]);
  });

  it('answers a malformed request with its 400 first, the refusal once it is well formed', () => {
    given([])
      .when(scheduleEmail({ senderIdentity: acme, from: 'ceo@globex.example', subject: '' }))
      .thenThrows(ValidationError, withIssues(issue('subject')));
  });

  it('holds for any address: accepted exactly when its domain is one of the domains', () => {
    const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
    const domain = fc
      .tuple(label, fc.constantFrom('com', 'example', 'org'))
      .map(([name, tld]) => `${name}.${tld}`);
    fc.assert(
      fc.property(
        fc.array(domain, { maxLength: 4 }),
        domain,
        fc.boolean(),
        (domains, fromDomain, upper) => {
          const from = `someone@${upper ? fromDomain.toUpperCase() : fromDomain}`;
          const command = scheduleEmail({ senderIdentity: { kind: 'domains', domains }, from });
          const allowed = domains.includes(fromDomain);
          try {
            decide(command, initialState);
            return allowed;
          } catch (error) {
            return !allowed && error instanceof ForbiddenError && error.issue.field === 'from';
          }
        },
      ),
    );
  });
});
