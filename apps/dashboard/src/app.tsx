import { type ReactNode, useEffect } from 'react';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { ComposePage } from './pages/compose/compose-page';
import { EmailListPage } from './pages/emails/email-list-page';
import { EmailPage } from './pages/email/email-page';
import { ImportPage } from './pages/import/import-page';
import { LoginPage } from './pages/login-page';
import { OutboxPage } from './pages/outbox-page';
import { StatsPage } from './pages/stats-page';
import { WebhookPage } from './pages/webhooks/webhook-page';
import { WebhooksPage } from './pages/webhooks/webhooks-page';
import { Link, useRouter } from './router';
import { useSession } from './session';

const EMAIL_PATH = /^\/emails\/([0-9a-f-]{36})$/i;
const WEBHOOK_PATH = /^\/webhooks\/([0-9a-f-]{36})$/i;

function Page({ path, admin }: { readonly path: string; readonly admin: boolean }): ReactNode {
  const email = EMAIL_PATH.exec(path);
  if (email?.[1]) return <EmailPage id={email[1]} />;
  const webhook = WEBHOOK_PATH.exec(path);
  if (webhook?.[1]) return <WebhookPage id={webhook[1]} />;
  switch (path) {
    case '/compose':
      return <ComposePage />;
    case '/emails':
      return <EmailListPage />;
    case '/import':
      return <ImportPage />;
    case '/stats':
      return <StatsPage />;
    case '/webhooks':
      return <WebhooksPage />;
    case '/outbox':
      if (admin) return <OutboxPage />;
      break;
    default:
      break;
  }
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>.{' '}
        <Link to="/emails?status=scheduled">See your emails</Link>.
      </p>
    </section>
  );
}

const TITLES: Record<string, string> = {
  '/compose': 'Compose',
  '/emails': 'Emails',
  '/import': 'CSV import',
  '/stats': 'Stats',
  '/webhooks': 'Webhooks',
  '/outbox': 'Outbox',
};

export function App(): ReactNode {
  const { state } = useSession();
  const { location, navigate } = useRouter();
  const signedIn = state.status === 'signed-in';

  useEffect(() => {
    if (
      signedIn &&
      (location.path === '/' || location.path === '/login' || location.path === '/dashboard')
    ) {
      navigate('/emails?status=scheduled', { replace: true });
    }
  }, [signedIn, location.path, navigate]);
  useEffect(() => {
    const title = EMAIL_PATH.test(location.path)
      ? 'Email'
      : WEBHOOK_PATH.test(location.path)
        ? 'Webhook endpoint'
        : (TITLES[location.path] ?? 'Email scheduler');
    document.title = `${title} · Email scheduler`;
  }, [location.path]);

  if (state.status === 'loading') {
    return (
      <main className="login" id="main">
        <Loading label="Starting…" />
      </main>
    );
  }
  if (state.status === 'signed-out') return <LoginPage problem={state.problem} />;
  return (
    <Layout>
      <Page path={location.path} admin={state.session.role === 'admin'} />
    </Layout>
  );
}
