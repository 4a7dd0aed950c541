import { type ReactNode, useState } from 'react';
import { Link, useRouter } from '../router';
import { useSession, useSignedIn } from '../session';

const NAV = [
  { to: '/compose', label: 'Compose', match: /^\/compose/ },
  { to: '/emails?status=scheduled', label: 'Emails', match: /^\/emails/ },
  { to: '/import', label: 'CSV import', match: /^\/import/ },
  { to: '/batches', label: 'Batches', match: /^\/batches/ },
  { to: '/schedules', label: 'Schedules', match: /^\/schedules/ },
  { to: '/templates', label: 'Templates', match: /^\/templates/ },
  { to: '/stats', label: 'Stats', match: /^\/stats/ },
  { to: '/webhooks', label: 'Webhooks', match: /^\/webhooks/ },
] as const;

export function Layout({ children }: { readonly children: ReactNode }): ReactNode {
  const session = useSignedIn();
  const { signOut } = useSession();
  const { location } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const items =
    session.role === 'admin'
      ? [...NAV, { to: '/outbox', label: 'Outbox', match: /^\/outbox/ }]
      : NAV;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/emails?status=scheduled" className="brand">
          ✉ Scheduler
        </Link>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <nav id="main-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
          {items.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className="nav-link"
              aria-current={item.match.test(location.path) ? 'page' : undefined}
              onClick={() => setMenuOpen(false)}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span className="who-name" title={`${session.role} of tenant ${session.tenantId}`}>
            {session.subject}
            <span className="who-role">
              {session.role} · {session.tenantId}
            </span>
          </span>
          <button type="button" className="button secondary small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
