import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { prettyMessage, redactUrl, requestLogOptions } from './logging.module';

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

describe('request logs', () => {
  it('never carry the code and state an OpenID Connect provider sends to the callback', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pinoHttp(requestLogOptions('api', { logLevel: 'info' }), stream);
    const server = createServer((req, res) => {
      logger(req, res);
      res.statusCode = 302;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const query = 'code=4%2F0AbCdSeCrEtCoDe&state=sEcReTsTaTe&scope=email&hd=acme.example';
      await fetch(`http://127.0.0.1:${port}/v1/auth/oidc/callback?${query}`, {
        redirect: 'manual',
      });
      const deadline = Date.now() + 5_000;
      while (lines.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const logged = lines.join('');
    expect(logged).toContain('/v1/auth/oidc/callback?');
    expect(logged).not.toMatch(/SeCrEtCoDe|sEcReTsTaTe/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      req: {
        url: '/v1/auth/oidc/callback?code=[redacted]&state=[redacted]&scope=email&hd=acme.example',
      },
    });
  });

  it('redacts only those parameters, whatever their case or encoding', () => {
    expect(redactUrl('/v1/emails?status=sent&limit=5')).toBe('/v1/emails?status=sent&limit=5');
    expect(redactUrl('/x?CODE=a&%73tate=b&c=d')).toBe('/x?CODE=[redacted]&%73tate=[redacted]&c=d');
    expect(redactUrl('/no-query')).toBe('/no-query');
  });
});
