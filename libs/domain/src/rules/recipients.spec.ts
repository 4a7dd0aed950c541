import { parseRecipients } from './recipients';

describe('parseRecipients', () => {
  it('parses to, cc and bcc, each given as one entry or a list', () => {
    expect(
      parseRecipients(
        { to: 'a@example.com', cc: ['B <b@example.com>'], bcc: { address: 'c@example.com' } },
        50,
      ),
    ).toEqual({
      recipients: {
        to: [{ address: 'a@example.com' }],
        cc: [{ address: 'b@example.com', name: 'B' }],
        bcc: [{ address: 'c@example.com' }],
      },
      issues: [],
    });
  });

  it('treats absent cc and bcc as empty', () => {
    expect(parseRecipients({ to: ['a@example.com'] }, 50).recipients).toEqual({
      to: [{ address: 'a@example.com' }],
      cc: [],
      bcc: [],
    });
  });

  it('names a bad entry by list position, or by field for a single entry', () => {
    const { issues } = parseRecipients(
      { to: 'bad', cc: ['a@example.com', 'bad'], bcc: ['bad'] },
      50,
    );
    expect(issues.map((issue) => issue.field)).toEqual(['to', 'cc[1]', 'bcc[0]']);
  });

  it('requires a "to" even when cc or bcc are given', () => {
    expect(parseRecipients({ to: [], bcc: ['b@example.com'] }, 50).issues).toEqual([
      { field: 'to', reason: 'at least one recipient is required' },
    ]);
  });

  it('counts every entry against the limit, valid or not, duplicates included', () => {
    const { issues } = parseRecipients({ to: ['a@example.com', 'a@example.com'], cc: ['bad'] }, 2);
    expect(issues).toEqual([
      { field: 'cc[0]', reason: 'must contain "@"' },
      { field: 'to', reason: 'to, cc and bcc together name 3 recipients; at most 2 are allowed' },
    ]);
  });
});
