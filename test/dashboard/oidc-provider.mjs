// A real OpenID Connect provider (panva's oidc-provider, the certified implementation) on loopback,
// for the dashboard's browser test. It is an ES module, so the test runs it as a child process:
//   node oidc-provider.mjs <port> <client id> <client secret> <redirect uri>
// Any login is accepted at its development sign-in page; the login is the account's verified email.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // Every client must use PKCE (the dashboard does, S256).
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: id, email_verified: true }),
  }),
  cookies: { keys: ['dashboard-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`server_error ${error.stack}\n`));

const server = provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`oidc provider ready on ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
