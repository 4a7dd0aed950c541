import { decodeCursor, encodeCursor } from './email-cursor';
import { listEmailsSql } from './list-emails.sql';

describe('the admin list cursor', () => {
  const cursor = {
    sendAt: '2030-01-01T00:00:31.000007Z',
    id: '0b6c2b7e-8f0a-4c1e-9d7a-2f3b4c5d6e7f',
  };

  it('round-trips (send_at at microsecond precision, id)', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['not a pair', Buffer.from('["x"]').toString('base64url')],
    [
      'a bad instant',
      Buffer.from(`["2030-01-01",${JSON.stringify(cursor.id)}]`).toString('base64url'),
    ],
    ['a bad id', Buffer.from(`[${JSON.stringify(cursor.sendAt)},"1"]`).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('rejects %s', (_label, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});

describe('the admin list statement', () => {
  it('binds every filter as a parameter and keeps the keyset order', () => {
    const { text, values } = listEmailsSql(
      {
        tenant: 't',
        status: 'sent',
        from: 'A@B.example',
        to: 'C@D.example',
        tag: 'Promo',
        sendAfter: '2030-01-01T00:00:00.000Z',
        sendBefore: '2030-02-01T00:00:00.000Z',
      },
      { sendAt: '2030-01-05T00:00:00.000000Z', id: '0b6c2b7e-8f0a-4c1e-9d7a-2f3b4c5d6e7f' },
      51,
    );
    expect(values).toEqual([
      't',
      'sent',
      'a@b.example',
      'c@d.example',
      'Promo',
      '2030-01-01T00:00:00.000Z',
      '2030-02-01T00:00:00.000Z',
      '2030-01-05T00:00:00.000000Z',
      '0b6c2b7e-8f0a-4c1e-9d7a-2f3b4c5d6e7f',
      51,
    ]);
    expect(text).toContain('(send_at, email_id) > ($8::timestamptz, $9::uuid)');
    expect(text).toMatch(/ORDER BY send_at, email_id\s+LIMIT \$10$/);
  });
});
