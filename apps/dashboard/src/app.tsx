import { type ReactNode, useEffect } from 'react';
import { Layout } from './components/layout';
import { BatchPage } from './pages/batches/batch-page';
import { BatchesPage } from './pages/batches/batches-page';
import { Loading } from './components/states';
import { ComposePage } from './pages/compose/compose-page';
import { EmailListPage } from './pages/emails/email-list-page';
import { EmailPage } from './pages/email/email-page';
import { ImportPage } from './pages/import/import-page';
import { LoginPage } from './pages/login-page';
import { OutboxPage } from './pages/outbox-page';
import { SchedulePage } from './pages/schedules/schedule-page';
import { SchedulesPage } from './pages/schedules/schedules-page';
import { StatsPage } from './pages/stats-page';
import { TemplatePage } from './pages/templates/template-page';
import { TemplatesPage } from './pages/templates/templates-page';
import { WebhookPage } from './pages/webhooks/webhook-page';
import { WebhooksPage } from './pages/webhooks/webhooks-page';
import { Link, useRouter } from './router';
import { useSession } from './session';

const EMAIL_PATH = /^\/emails\/([0-9a-f-]{36})$/i;
const WEBHOOK_PATH = /^\/webhooks\/([0-9a-f-]{36})$/i;
const BATCH_PATH = /^\/batches\/([0-9a-f-]{36})$/i;
const SCHEDULE_PATH = /^\/schedules\/([^/]+)$/;
const TEMPLATE_PATH = /^\/templates\/([^/]+)$/;

/** The title of a page with an id in its path. */
const ITEM_TITLES: readonly (readonly [RegExp, string])[] = [
  [EMAIL_PATH, 'Email'],
  [WEBHOOK_PATH, 'Webhook endpoint'],
  [BATCH_PATH, 'Batch'],
  [SCHEDULE_PATH, 'Schedule'],
  [TEMPLATE_PATH, 'Template'],
];

function Page({ path, admin }: { readonly path: string; readonly admin: boolean }): ReactNode {
  const email = EMAIL_PATH.exec(path);
  if (email?.[1]) return <EmailPage id={email[1]} />;
  const webhook = WEBHOOK_PATH.exec(path);
  if (webhook?.[1]) return <WebhookPage id={webhook[1]} />;
  const batch = BATCH_PATH.exec(path);
  if (batch?.[1]) return <BatchPage id={batch[1]} />;
  const schedule = SCHEDULE_PATH.exec(path);
  if (schedule?.[1]) return <SchedulePage id={schedule[1]} />;
  const template = TEMPLATE_PATH.exec(path);
  if (template?.[1]) return <TemplatePage id={template[1]} />;
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
    case '/batches':
      return <BatchesPage />;
    case '/schedules':
      return <SchedulesPage />;
    case '/templates':
      return <TemplatesPage />;
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
  '/batches': 'Batches',
  '/schedules': 'Schedules',
  '/templates': 'Templates',
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
    const title =
      ITEM_TITLES.find(([pattern]) => pattern.test(location.path))?.[1] ??
      TITLES[location.path] ??
      'Email scheduler';
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
