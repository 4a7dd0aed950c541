import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HostLookup } from './address-policy';
import { postWebhook, type PostOutcome, type PostWebhookOptions } from './post-webhook';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A real HTTP server on loopback, recording what reaches it (connections too: a refusal must open none). */
interface Receiver {
  readonly port: number;
  readonly url: string;
  readonly received: Received[];
  connections: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const servers: Server[] = [];

async function receiver(handle: Handler, host = '127.0.0.1'): Promise<Receiver> {
  const server = createHttpServer();
  servers.push(server);
  const state = { port: 0, url: '', received: [] as Received[], connections: 0 };
  server.on('connection', () => (state.connections += 1));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      handle(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://${host}:${state.port}`;
  return state;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const local: PostWebhookOptions = { allowPrivateNetworks: true, timeoutMs: 2_000 };
const body = JSON.stringify({ type: 'email.sent', id: 'msg_1', data: { emailId: 'e1' } });
const signed = {
  'webhook-id': 'msg_1',
  'webhook-timestamp': '1796581845',
  'webhook-signature': 'v1,abc=',
};

function post(url: string, options: Partial<PostWebhookOptions> = {}): Promise<PostOutcome> {
  return postWebhook(url, signed, body, { ...local, ...options });
}

/** A lookup that always answers `address`, counting its calls. */
function pinnedLookup(...answers: string[]): HostLookup & { calls: number } {
  const lookup = Object.assign(
    (): ReturnType<HostLookup> => {
      const address = answers[Math.min(lookup.calls, answers.length - 1)] ?? '';
      lookup.calls += 1;
      return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
    },
    { calls: 0 },
  );
  return lookup;
}

describe('postWebhook', () => {
  it('POSTs the body with its headers and answers the status, latency and an excerpt of the response', async () => {
    const server = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks, got it');
    });

    const outcome = await post(`${server.url}/hooks/in?tenant=t1#ignored`);

    expect(outcome).toEqual({
      kind: 'response',
      statusCode: 200,
      latencyMs: expect.any(Number) as unknown,
      responseExcerpt: 'thanks, got it',
    });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/in?tenant=t1', body });
    expect(request?.headers).toMatchObject({
      ...signed,
      host: `127.0.0.1:${server.port}`,
      'content-type': 'application/json',
      'user-agent': 'email-scheduler-webhooks/1',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('answers a 500 as a response', async () => {
    const server = await receiver((_request, response) => response.writeHead(500).end('boom'));
    expect(await post(server.url)).toMatchObject({
      kind: 'response',
      statusCode: 500,
      responseExcerpt: 'boom',
    });
  });

  it('does not follow a redirect: a 302 is the response, and its target gets nothing', async () => {
    const target = await receiver((_request, response) => response.writeHead(200).end('followed'));
    const redirecting = await receiver((_request, response) =>
      response.writeHead(302, { location: `${target.url}/elsewhere` }).end(),
    );

    expect(await post(redirecting.url)).toMatchObject({ kind: 'response', statusCode: 302 });
    expect(redirecting.received).toHaveLength(1);
    expect(target.connections).toBe(0);
  });

  it('opens a fresh connection for every call, keeping none alive', async () => {
    const server = await receiver((_request, response) => response.writeHead(200).end('ok'));
    await post(server.url);
    await post(server.url);
    expect(server.received).toHaveLength(2);
    expect(server.connections).toBe(2);
    expect(server.received.map((request) => request.headers.connection)).toEqual([
      'close',
      'close',
    ]);
  });

  it('gives up on a server that accepts and never answers, within the timeout', async () => {
    const server = await receiver(() => undefined);
    const started = performance.now();

    const outcome = await post(server.url, { timeoutMs: 300 });

    expect(outcome).toEqual({
      kind: 'error',
      error: 'timed out after 300 ms',
      latencyMs: expect.any(Number) as unknown,
    });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(299);
    expect(performance.now() - started).toBeLessThan(300 + 500);
    expect(server.received).toHaveLength(1);
  });

  it('gives up on a server that trickles its body, within the timeout', async () => {
    const server = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => response.write('.'), 20);
      response.on('close', () => clearInterval(drip));
    });
    const started = performance.now();

    expect(await post(server.url, { timeoutMs: 300 })).toMatchObject({
      kind: 'error',
      error: 'timed out after 300 ms',
    });
    expect(performance.now() - started).toBeLessThan(300 + 500);
  });

  it('gives up on a resolver that never answers, within the timeout', async () => {
    const started = performance.now();
    const outcome = await post('http://stuck.example:8080/', {
      timeoutMs: 300,
      lookup: () => new Promise(() => undefined),
    });
    expect(outcome).toMatchObject({
      kind: 'error',
      error: 'timed out after 300 ms (resolving the host)',
    });
    expect(performance.now() - started).toBeLessThan(300 + 500);
  });

  it('reports a server that closes the connection before answering', async () => {
    const server = await receiver((request) => request.socket.destroy());
    const outcome = await post(server.url);
    expect(outcome).toMatchObject({ kind: 'error' });
    expect(outcome.kind === 'error' && outcome.error).toMatch(
      /^connection (closed before a response|reset)$/,
    );
  });

  it('reports a server that closes the connection in the middle of its body', async () => {
    const server = await receiver((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('partial', () => response.socket?.destroy());
    });
    expect(await post(server.url)).toMatchObject({
      kind: 'error',
      error: 'connection closed while reading the response',
    });
  });

  it('reports a response whose headers overflow, without reading them all', async () => {
    const tcp = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.write(`HTTP/1.1 200 OK\r\nx-flood: ${'a'.repeat(1024 * 1024)}\r\n\r\n`),
      );
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = tcp.address() as AddressInfo;
      const outcome = await post(`http://127.0.0.1:${port}/`);
      expect(outcome.kind === 'error' && outcome.error).toMatch(/^invalid HTTP response: /);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('reports a refused connection', async () => {
    const server = await receiver(() => undefined);
    const port = server.port;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    expect(await post(`http://127.0.0.1:${port}/`)).toMatchObject({
      kind: 'error',
      error: 'connection refused',
    });
  });

  it('reads a 10 MB response only up to the cap, then drops the connection', async () => {
    const total = 10 * 1024 * 1024;
    const sent = { bytes: 0, finished: false, closed: false };
    const server = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (sent.bytes < total && !response.destroyed) {
          sent.bytes += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      response.on('finish', () => (sent.finished = true));
      response.on('close', () => (sent.closed = true));
      pump();
    });

    const outcome = await post(server.url);

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(outcome.kind === 'response' && outcome.responseExcerpt).toBe('x'.repeat(1024));
    // The server sees the connection dropped long before it has written it all.
    await until(() => sent.closed);
    expect(sent.finished).toBe(false);
    expect(sent.bytes).toBeLessThan(total);
  });

  it('reads no more than maxResponseBytes', async () => {
    const server = await receiver((_request, response) =>
      response.writeHead(200).end('0123456789abcdef'),
    );
    expect(await post(server.url, { maxResponseBytes: 10 })).toMatchObject({
      responseExcerpt: '0123456789',
    });
  });

  it("sanitises the receiver's words: control characters, ANSI escapes, bidi overrides, invalid UTF-8", async () => {
    const hostile = Buffer.concat([
      Buffer.from(
        '\x1b[31mred\x1b[0m nul:\0 bell:\x07 crlf:\r\nline\ttab cr:\r del:\x7f c1:\u009b rtl:\u202Eevil ok:é✓😀 ',
      ),
      Buffer.from([0xff, 0xfe, 0xc3]), // invalid, then a truncated sequence
    ]);
    const server = await receiver((_request, response) => response.writeHead(400).end(hostile));

    const outcome = await post(server.url);

    expect(outcome.kind === 'response' && outcome.responseExcerpt).toBe(
      '�[31mred�[0m nul:� bell:� crlf:\nline\ttab cr:� del:� c1:� rtl:�evil ok:é✓😀 ���',
    );
  });

  it('keeps the excerpt to 1,024 characters, never half a character', async () => {
    // 1,023 ASCII characters then emoji: the 1,024th code unit would be the first half of a surrogate pair.
    const server = await receiver((_request, response) =>
      response.writeHead(200).end(`${'a'.repeat(1023)}${'😀'.repeat(500)}`),
    );
    const outcome = await post(server.url);
    expect(outcome.kind === 'response' && outcome.responseExcerpt).toBe('a'.repeat(1023));
  });

  describe('refuses what the address policy refuses, without connecting', () => {
    it('a loopback address', async () => {
      const server = await receiver(() => undefined);
      expect(await post(`${server.url}/`, { allowPrivateNetworks: false })).toMatchObject({
        kind: 'error',
        error: 'refused: 127.0.0.1 is loopback',
      });
      expect(server.connections).toBe(0);
    });

    it('a name that resolves to loopback (localhost, through the system resolver)', async () => {
      const server = await receiver(() => undefined);
      const outcome = await post(`http://localhost:${server.port}/`, {
        allowPrivateNetworks: false,
      });
      expect(outcome.kind === 'error' && outcome.error).toMatch(
        /^refused: (127\.0\.0\.1|::1) is loopback$/,
      );
      expect(server.connections).toBe(0);
    });

    it('a URL with credentials', async () => {
      const server = await receiver(() => undefined);
      expect(await post(`http://user:pw@127.0.0.1:${server.port}/`)).toMatchObject({
        kind: 'error',
        error: 'refused: URL must not contain credentials',
      });
      expect(server.connections).toBe(0);
    });

    it('a name that does not resolve (a DNS failure, not a refusal)', async () => {
      const lookup: HostLookup = () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
      expect(
        await post('http://no-such-host.example/', { allowPrivateNetworks: false, lookup }),
      ).toMatchObject({
        kind: 'error',
        error: 'DNS: no such host',
      });
    });
  });

  it('connects to the checked address, never resolving the name again (DNS rebinding)', async () => {
    // The server listens on 127.0.0.1 only; a second resolution would answer 127.0.0.2, where nothing listens.
    const server = await receiver((_request, response) => response.writeHead(204).end());
    const lookup = pinnedLookup('127.0.0.1', '127.0.0.2');

    const outcome = await post(`http://rebind.example:${server.port}/hook`, { lookup });

    expect(outcome).toMatchObject({ kind: 'response', statusCode: 204 });
    expect(lookup.calls).toBe(1);
    expect(server.received[0]?.headers.host).toBe(`rebind.example:${server.port}`);
  });

  it("connects over TLS to the checked address, naming the URL's host in SNI", async () => {
    // A TCP server that reads the TLS ClientHello (SNI travels in clear) and answers plain HTTP instead.
    let hello: Buffer = Buffer.alloc(0);
    const tcp = createTcpServer((socket) => {
      socket.once('data', (data: Buffer) => {
        hello = data;
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = tcp.address() as AddressInfo;
      const lookup = pinnedLookup('127.0.0.1', '127.0.0.2');

      const outcome = await post(`https://hooks.example.test:${port}/`, { lookup });

      expect(outcome.kind === 'error' && outcome.error).toMatch(/^TLS: /);
      expect(hello.includes('hooks.example.test')).toBe(true);
      expect(lookup.calls).toBe(1);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('never throws: a header the HTTP client refuses is an error outcome', async () => {
    const server = await receiver(() => undefined);
    const outcome = await postWebhook(server.url, { 'x-bad': 'line\nbreak' }, body, local);
    expect(outcome).toMatchObject({ kind: 'error' });
    expect(server.connections).toBe(0);
  });
});

/** Polls `condition` until it holds; fails the test after 2 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 2_000;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error('condition not met within 2 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
