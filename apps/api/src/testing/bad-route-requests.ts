// Generated bad requests for every route of the api, read from its OpenAPI document: each request is
// broken on purpose in a way its route must refuse (4xx), whatever else it holds. The all-routes property
// test (bad-requests.int-spec.ts) sends them; a route added to the api is covered once it is in the document.
import fc from 'fast-check';
import { badEmailRequests, type BadRequest as BadEmailRequest, type Payload } from '@app/testing';
import { parseIfMatch } from '../common/revision-headers';
import { MAX_JSON_DEPTH } from '../common/json-depth';
import { DEFAULT_BODY_LIMIT_BYTES } from '../common/configure-http';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

/** The little of a JSON schema the generator reads. */
interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly $ref?: string;
}

interface OpenApiOperation {
  readonly parameters?: readonly {
    readonly in: string;
    readonly name: string;
    readonly schema?: Schema;
  }[];
  readonly requestBody?: {
    readonly content: Readonly<Record<string, { readonly schema?: Schema }>>;
  };
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

/** One route as the generator sees it. */
export interface Route {
  readonly method: Method;
  /** The OpenAPI path, `{name}` for each path parameter. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly query: Readonly<Record<string, Schema>>;
  /** The JSON body's schema, resolved; undefined when the route declares none. */
  readonly body?: Schema;
  /** Every other method of the same path, which the api does not serve. */
  readonly otherMethods: readonly Method[];
}

/** Every route of the document. */
export function routesOf(document: OpenApiDocument): Route[] {
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref === undefined
      ? schema
      : document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    const served = Object.keys(operations).map((method) => method.toUpperCase());
    for (const [method, operation] of Object.entries(operations)) {
      const upper = method.toUpperCase() as Method;
      if (!METHODS.includes(upper)) continue;
      const parameters = operation.parameters ?? [];
      routes.push({
        method: upper,
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
        query: Object.fromEntries(
          parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        ),
        body: resolve(operation.requestBody?.content['application/json']?.schema),
        otherMethods: METHODS.filter((other) => !served.includes(other)),
      });
    }
  }
  return routes;
}

export type Role = 'admin' | 'sender';

/** What the generator knows of the running api: the keys and the values a route would take. */
export interface Fixture {
  readonly keys: Readonly<Record<Role, string>>;
  /** Keys the api refuses: revoked, unknown. */
  readonly refusedKeys: readonly string[];
  /** A path parameter's value the route would accept, by role (e.g. an email id the key owns). */
  plausible(param: string, role: Role): string;
  /** POST /v1/emails bodies the api accepts, mutated by @app/testing's badEmailRequests. */
  readonly validEmail: () => Payload;
  /** Routes whose requests hold `If-Match` (a revision), with a body they would accept otherwise. */
  readonly ifMatchRoutes: Readonly<Record<string, Payload | undefined>>;
}

/** How a route is to be refused; `bareAnswer` is what it answered with no key and no input at all. */
export interface RouteProfile {
  readonly route: Route;
  readonly bareAnswer: number;
}

/** A request on the wire, and the way it is broken (for the report). */
export interface WireRequest {
  readonly method: string;
  /** Path and query, encoded as sent. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly route: string;
  readonly flaw: string;
}

// ---- pieces ----------------------------------------------------------------------------------

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** A key no DTO of the api declares. */
const unknownKey = fc
  .string({ minLength: 1, maxLength: 10 })
  .map((key) => `zz${key}`)
  .filter((key) => !PROTO_KEYS.includes(key as never));

const hugeString = fc
  .integer({ min: 20_000, max: 200_000 })
  .chain((length) => fc.constantFrom('x', 'ü', '\u0000', '𝄞').map((c) => c.repeat(length)));

/**
 * Nesting deeper than the api parses (json-depth.ts). Held as a placeholder string until the body is
 * serialised (withDeepNesting): JSON.stringify would recurse as deep as the value.
 */
const tooDeep = fc
  .tuple(fc.integer({ min: MAX_JSON_DEPTH + 1, max: 5_000 }), fc.constantFrom('a', 'o'))
  .map(([depth, kind]) => `<<deep ${depth} ${kind}>>`);

function withDeepNesting(json: string): string {
  return json.replace(/"<<deep (\d+) ([ao])>>"/g, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'a'
      ? `${'['.repeat(n)}1${']'.repeat(n)}`
      : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

const anyJson = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 6 },
  { arbitrary: hugeString, weight: 1 },
);

/** A value of another JSON type than the schema's; undefined when the schema's type is loose. */
function wrongType(schema: Schema): fc.Arbitrary<unknown> | undefined {
  if (schema.enum !== undefined) {
    return fc.oneof(
      fc.string({ maxLength: 12 }).filter((value) => !schema.enum?.includes(value)),
      fc.integer(),
      fc.constant(null),
    );
  }
  switch (schema.type ?? 'loose') {
    case 'string':
      return fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.constant({ a: 1 }),
      );
    case 'number':
    case 'integer':
      return fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.boolean(),
        fc.constant([1]),
        fc.constant({ n: 1 }),
      );
    case 'array':
      return fc.oneof(fc.integer(), fc.boolean(), fc.constant({ a: 1 }));
    default:
      return undefined; // 'object' here is an address that may be a string or an object
  }
}

/**
 * A JSON object the route's body validation must refuse: some declared fields with any values, plus at
 * least one flaw that alone is refused (an unknown key, a declared field of the wrong type, a required
 * field left out, nesting too deep), and sometimes a prototype-polluting key besides.
 */
function badObject(
  schema: Schema | undefined,
): fc.Arbitrary<{ body: Record<string, unknown>; flaw: string }> {
  const properties = schema?.properties ?? {};
  const names = Object.keys(properties);
  const required = schema?.required ?? [];
  const typed = names.flatMap((name) => {
    const wrong = wrongType(properties[name] ?? {});
    return wrong === undefined ? [] : [fc.tuple(fc.constant(name), wrong)];
  });
  const flaws: fc.Arbitrary<[string, (body: Record<string, unknown>) => void]>[] = [
    fc
      .tuple(unknownKey, anyJson)
      .map(([key, value]) => ['unknown key', (b) => void (b[key] = value)]),
    fc
      .tuple(names.length > 0 ? fc.constantFrom(...names) : unknownKey, tooDeep)
      .map(([key, value]) => ['deep nesting', (b) => void (b[key] = value)]),
  ];
  if (typed.length > 0) {
    flaws.push(
      fc.oneof(...typed).map(([name, value]) => ['wrong type', (b) => void (b[name] = value)]),
    );
  }
  if (required.length > 0) {
    flaws.push(
      fc.constantFrom(...required).map((name) => ['required left out', (b) => void delete b[name]]),
    );
  }
  return fc
    .tuple(
      fc.dictionary(names.length > 0 ? fc.constantFrom(...names) : unknownKey, anyJson, {
        maxKeys: 4,
      }),
      fc.oneof(...flaws),
      fc.option(fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })), {
        freq: 3,
      }),
    )
    .map(([fields, [flaw, apply], proto]) => {
      const body: Record<string, unknown> = { ...fields };
      apply(body);
      if (proto === null) return { body, flaw };
      // An own property named __proto__, as JSON.parse makes it (an assignment would set the prototype).
      Object.defineProperty(body, proto[0], { value: { polluted: proto[1] }, enumerable: true });
      return { body, flaw: `${flaw} + ${proto[0]}` };
    });
}

type BadBody = { readonly type: string; readonly body: string; readonly flaw: string };

/** The body, and its content type, for each way a route's JSON body is broken. */
function badBody(route: Route, fixture: Fixture): fc.Arbitrary<BadBody> {
  const asJson = badObject(route.body).map(({ body, flaw }): BadBody => ({
    type: 'application/json',
    body: withDeepNesting(JSON.stringify(body)),
    flaw,
  }));
  const choices: { arbitrary: fc.Arbitrary<BadBody>; weight: number }[] = [
    { arbitrary: asJson, weight: 12 },
    {
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '{',
            '{"a":',
            '{"a": [,]}',
            "{'a': 1}",
            'undefined',
            'NaN',
            '{"a":1}}',
            '\uFEFF{',
          ),
          // An empty body is no body (body-parser reads it as {}), which a route whose fields are all
          // optional rightly takes: not malformed JSON.
          fc.string({ maxLength: 20 }).filter((text) => text !== '' && !isJson(text)),
        )
        .map((body) => ({ type: 'application/json', body, flaw: 'malformed JSON' })),
      weight: 3,
    },
    {
      arbitrary: fc
        .oneof(
          fc.integer(),
          fc.string({ maxLength: 8 }),
          fc.constant(null),
          fc.boolean(),
          fc.array(fc.integer(), { maxLength: 3 }),
        )
        .map((value) => ({
          type: 'application/json',
          body: JSON.stringify(value),
          flaw: 'not an object',
        })),
      weight: 3,
    },
    {
      arbitrary: asJson.map((bad) => ({
        ...bad,
        type: 'application/json; charset=utf-16',
        flaw: 'unsupported charset',
      })),
      weight: 1,
    },
    {
      // Form fields are strings: only the unknown key is sure to be refused once they are parsed.
      arbitrary: fc.tuple(unknownKey, fc.string({ maxLength: 8 })).map(([key, value]) => ({
        type: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ role: 'admin', tenantId: 'fuzz', [key]: value }).toString(),
        flaw: 'form with an unknown key',
      })),
      weight: 2,
    },
    {
      // Rare: the 413 is cheap to answer but a megabyte to send.
      arbitrary: fc.constant({
        type: 'application/json',
        body: JSON.stringify({ padding: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) }),
        flaw: 'oversized body',
      }),
      weight: 1,
    },
  ];
  if ((route.body?.required ?? []).length > 0) {
    // Not parsed as JSON: no body at all, which leaves the required fields out.
    choices.push({
      arbitrary: fc
        .tuple(
          fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', ''),
          asJson,
        )
        .map(([type, bad]) => ({ ...bad, type, flaw: `content type "${type}"` })),
      weight: 2,
    });
  }
  if (route.method === 'POST' && route.path === '/v1/emails') {
    // The email's own rules, broken one by one (@app/testing).
    choices.push({
      arbitrary: badEmailRequests(fixture.validEmail).map(fromEmailRequest),
      weight: 20,
    });
  }
  return fc.oneof(...choices);
}

function fromEmailRequest(request: BadEmailRequest): BadBody {
  return request.kind === 'json'
    ? { type: 'application/json', body: JSON.stringify(request.body), flaw: 'bad email' }
    : { type: request.contentType, body: request.text, flaw: 'bad email' };
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A path parameter no route accepts: not a uuid, not a tenant id, not a name. */
const badPathValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }).map((text) => `${encodeURIComponent(text)}%20!`),
  // A NUL, which PostgreSQL refuses in text: it must never get that far.
  fc.string({ maxLength: 8 }).map((text) => `${encodeURIComponent(text)}%00`),
  fc.constantFrom(
    '%E0%A4%A',
    '%',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    'a.b',
    '%F0%9F%92%A9',
    "'%20OR%201=1",
  ),
  fc.integer({ min: 65, max: 5_000 }).map((length) => `${'a'.repeat(length)}.`),
  // Almost a uuid; the dot also keeps it out of the tenant ids.
  fc.uuid().map((id) => `${id}.x`),
);

/** An If-Match that never names the revision of an email the fixture holds (0), nor "any" (*). */
const badIfMatch = fc
  .oneof(
    fc.string({ maxLength: 20 }),
    fc.integer({ min: 1, max: 1_000_000 }).map((n) => `"${n}"`),
    fc.constantFrom(
      '"-1"',
      '"1.5"',
      '"0", "1"',
      'W/',
      '""',
      '"99999999999999999"',
      'x'.repeat(4_000),
    ),
  )
  .filter((value) => {
    if (!/^[\x20-\x7e]*$/.test(value)) return false; // not sendable as a header
    try {
      const revision = parseIfMatch(value);
      return revision !== undefined && revision !== 0;
    } catch {
      return true; // refused as malformed
    }
  });

/** A query the route must refuse: an unknown or duplicated key, or a value out of its type. */
function badQuery(route: Route): fc.Arbitrary<{ query: string; flaw: string }> {
  const names = Object.keys(route.query);
  const pair = (key: string, value: string): string =>
    `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
  const outOfType = names.flatMap((name) => {
    const schema = route.query[name] ?? {};
    const values: fc.Arbitrary<string>[] = [];
    if (schema.enum !== undefined) values.push(fc.constantFrom('bogus', 'SENT', '1'));
    if (schema.type === 'number' || schema.type === 'integer') {
      values.push(fc.constantFrom('abc', 'NaN', '1e999', '0x1g', '--1', '1,5'));
      if (schema.minimum !== undefined) values.push(fc.constant(String(schema.minimum - 1)));
      if (schema.maximum !== undefined) values.push(fc.constant(String(schema.maximum + 1)));
    }
    if (schema.type === 'string' && schema.maxLength !== undefined) {
      values.push(fc.constant('a'.repeat(schema.maxLength + 1)));
    }
    if (schema.type === 'string' && schema.enum === undefined && schema.maxLength === undefined) {
      // Instants, positions, cursors and tenant ids: none of them reads this.
      values.push(
        fc.constantFrom(
          'yester day!',
          '%%%',
          'not a position!',
          '2030-13-45T99:00:00Z',
          'a\u0000b',
        ),
      );
    }
    return values.map((value) =>
      value.map((v) => ({ query: pair(name, v), flaw: `${name} out of type` })),
    );
  });
  const flaws: fc.Arbitrary<{ query: string; flaw: string }>[] = [
    fc
      .tuple(unknownKey, fc.string({ maxLength: 8 }))
      .map(([key, value]) => ({ query: pair(key, value), flaw: 'unknown query key' })),
    fc
      .tuple(
        fc.constantFrom('__proto__[polluted]', 'constructor[prototype][polluted]', '__proto__'),
        unknownKey,
      )
      .map(([key, unknown]) => ({
        query: `${key}=1&${pair(unknown, '1')}`,
        flaw: 'prototype key + unknown key',
      })),
    fc
      .tuple(unknownKey, fc.integer({ min: 17_000, max: 40_000 }))
      .map(([key, length]) => ({ query: pair(key, 'q'.repeat(length)), flaw: 'huge query' })),
    ...outOfType,
  ];
  if (names.length > 0) {
    flaws.push(
      fc.constantFrom(...names).map((name) => ({
        query: `${pair(name, '1')}&${pair(name, '2')}&${pair(name, '[]')}`,
        flaw: `${name} repeated`,
      })),
    );
  }
  return fc.oneof(...flaws);
}

// ---- requests --------------------------------------------------------------------------------

const role = fc.constantFrom<Role>('admin', 'sender');

function fillPath(route: Route, value: (param: string) => string): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, param: string) => value(param));
}

function request(
  route: Route,
  flaw: string,
  parts: {
    path?: string;
    query?: string;
    headers?: Record<string, string>;
    body?: string;
    type?: string;
    method?: string;
  },
): WireRequest {
  const headers: Record<string, string> = { ...parts.headers };
  if (parts.type) headers['content-type'] = parts.type;
  return {
    method: parts.method ?? route.method,
    target: `${parts.path ?? route.path}${parts.query ? `?${parts.query}` : ''}`,
    headers,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    route: `${route.method} ${route.path}`,
    flaw,
  };
}

const hasBody = (route: Route): boolean => ['POST', 'PUT', 'PATCH'].includes(route.method);

/**
 * Every way the profile's route can be broken, each an arbitrary of requests it must refuse. A route that
 * answered 2xx with no key and no input has none but its path's other methods.
 */
export function badRequestsFor(
  profile: RouteProfile,
  fixture: Fixture,
): fc.Arbitrary<WireRequest>[] {
  const { route } = profile;
  const auth = (r: Role): Record<string, string> => ({
    authorization: `Bearer ${fixture.keys[r]}`,
  });
  const plausiblePath = (r: Role): string =>
    fillPath(route, (param) => fixture.plausible(param, r));
  const ways: fc.Arbitrary<WireRequest>[] = [];
  if (route.otherMethods.length > 0) {
    ways.push(
      fc
        .tuple(role, fc.constantFrom(...route.otherMethods))
        .map(([r, method]) =>
          request(route, `method ${method}`, { method, path: plausiblePath(r), headers: auth(r) }),
        ),
    );
  }
  // Public and served bare (health, the sign-in methods): it takes no input to refuse.
  if (profile.bareAnswer < 400) return ways;

  if (profile.bareAnswer === 401) {
    const badAuth = fc.oneof(
      fc.constant<Record<string, string>>({}),
      fc.constantFrom(...fixture.refusedKeys).map((key) => ({ authorization: `Bearer ${key}` })),
      fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'Basic YWRtaW46YWRtaW4=',
          'Token abc',
          `Bearer ${fixture.keys.admin}x`,
        )
        .map((authorization) => ({ authorization })),
      fc
        .string({ maxLength: 40 })
        .filter((s) => /^[\x21-\x7e ]*$/.test(s))
        .map((key) => ({ authorization: `Bearer ${key}` })),
      fc
        .integer({ min: 17_000, max: 30_000 })
        .map((n) => ({ authorization: `Bearer ${'k'.repeat(n)}` })),
    );
    ways.push(
      fc.tuple(badAuth, role).map(([headers, r]) =>
        request(route, 'bad or no key', {
          path: plausiblePath(r),
          headers,
          ...(hasBody(route) ? { type: 'application/json', body: '{}' } : {}),
        }),
      ),
    );
  } else {
    // Public, and refused even bare (OIDC routes without OIDC configured, sign-in without a key): junk too.
    ways.push(
      fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) =>
        request(route, 'junk without a key', {
          path: plausiblePath('admin'),
          query: `${encodeURIComponent(key)}=1`,
          ...(hasBody(route)
            ? { type: 'application/json', body: JSON.stringify({ [key]: value }) }
            : {}),
        }),
      ),
    );
  }

  if (route.pathParams.length > 0) {
    ways.push(
      fc
        .tuple(
          role,
          fc.constantFrom(...route.pathParams),
          badPathValue,
          hasBody(route) ? badBody(route, fixture) : fc.constant(undefined),
        )
        .map(([r, bad, value, body]) =>
          request(route, `bad path parameter ${bad}`, {
            path: fillPath(route, (param) => (param === bad ? value : fixture.plausible(param, r))),
            headers: auth(r),
            ...(body === undefined ? {} : { type: body.type, body: body.body }),
          }),
        ),
    );
  }

  if (Object.keys(route.query).length > 0) {
    ways.push(
      fc
        .tuple(role, badQuery(route))
        .map(([r, { query, flaw }]) =>
          request(route, flaw, { path: plausiblePath(r), query, headers: auth(r) }),
        ),
    );
  }

  const ifMatchBody = fixture.ifMatchRoutes[`${route.method} ${route.path}`];
  const takesIfMatch = `${route.method} ${route.path}` in fixture.ifMatchRoutes;

  if (hasBody(route)) {
    ways.push(
      fc.tuple(role, badBody(route, fixture), badIfMatch).map(([r, body, ifMatch]) =>
        request(route, body.flaw, {
          path: plausiblePath(r),
          headers: { ...auth(r), ...(takesIfMatch ? { 'if-match': ifMatch } : {}) },
          type: body.type,
          body: body.body,
        }),
      ),
    );
  }

  if (takesIfMatch) {
    ways.push(
      fc.tuple(role, badIfMatch).map(([r, ifMatch]) =>
        request(route, 'bad If-Match', {
          path: plausiblePath(r),
          headers: { ...auth(r), 'if-match': ifMatch },
          ...(ifMatchBody === undefined
            ? {}
            : { type: 'application/json', body: JSON.stringify(ifMatchBody) }),
        }),
      ),
    );
  }
  return ways;
}

/**
 * `count` bad requests over the routes, the same ones for the same seed: a route drawn uniformly,
 * then one of its ways uniformly, so that every route gets its share whatever its number of ways.
 */
export function sampleBadRequests(
  profiles: readonly RouteProfile[],
  fixture: Fixture,
  count: number,
  seed: number,
): WireRequest[] {
  const perRoute = profiles
    .map((profile) => badRequestsFor(profile, fixture))
    .filter((ways) => ways.length > 0)
    .map((ways) => fc.oneof(...ways));
  return fc.sample(fc.oneof(...perRoute), { numRuns: count, seed });
}
