import type { ReactNode } from 'react';
import { errorMessage } from '../api';

export function Loading({ label = 'Loading…' }: { readonly label?: string }): ReactNode {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({
  error,
  retry,
}: {
  readonly error: unknown;
  readonly retry?: () => void;
}): ReactNode {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {errorMessage(error)}
      </p>
      {retry && (
        <button type="button" className="button secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { readonly children: ReactNode }): ReactNode {
  return <div className="state state-empty">{children}</div>;
}

/** A whole page while its data loads, or when the first load failed. */
export function PageLoading({
  error,
  retry,
  label,
}: {
  readonly error: unknown;
  readonly retry: () => void;
  readonly label: string;
}): ReactNode {
  return (
    <section className="page">
      {error !== undefined ? (
        <ErrorNotice error={error} retry={retry} />
      ) : (
        <Loading label={label} />
      )}
    </section>
  );
}
