import { prettyMessage } from './logging.module';

describe('prettyMessage', () => {
  it('puts the Nest context before the message', () => {
    expect(prettyMessage({ context: 'Projector', msg: 'projector ready' }, 'msg')).toBe(
      'Projector: projector ready',
    );
    expect(prettyMessage({ msg: 'no context' }, 'msg')).toBe('no context');
  });

  it('says which request a completion line is about, how it ended and how long it took', () => {
    const log = {
      msg: 'request completed',
      req: { id: 'r1', method: 'POST', url: '/v1/emails' },
      res: { statusCode: 201 },
      responseTime: 12,
    };
    expect(prettyMessage(log, 'msg')).toBe('request completed (POST /v1/emails → 201 in 12 ms)');
  });

  it('names the request a line was logged while serving', () => {
    const log = { context: 'Emails', msg: 'scheduled', req: { method: 'GET', url: '/v1/x' } };
    expect(prettyMessage(log, 'msg')).toBe('Emails: scheduled (GET /v1/x)');
  });
});
