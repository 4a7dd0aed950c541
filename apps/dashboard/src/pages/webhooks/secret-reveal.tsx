import { type ReactNode, useState } from 'react';

/**
 * A signing secret, shown once: the api never answers it again, so the page says so and offers a copy.
 * The secret lives in this component's props only (never in the address, storage or a reloaded list).
 */
export function SecretReveal({
  title,
  secret,
  children,
  onDismiss,
}: {
  readonly title: string;
  readonly secret: string;
  /** What else to say: when the old secret stops signing, where to go next. */
  readonly children?: ReactNode;
  readonly onDismiss: () => void;
}): ReactNode {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, a refused permission): the text is selected for a manual copy.
      document.getElementById('webhook-secret')?.focus();
      setCopied('failed');
    }
  };
  return (
    <div className="card secret-reveal" role="region" aria-label="Signing secret">
      <h2>{title}</h2>
      <p className="notice notice-warn">
        <strong>Copy the signing secret now: you will not see it again.</strong> Your receiver needs
        it to verify the <code>webhook-signature</code> header. If you lose it, rotate the secret.
      </p>
      <label htmlFor="webhook-secret" className="secret-label">
        Signing secret
      </label>
      <div className="inline">
        <input
          id="webhook-secret"
          className="mono secret"
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="hint" role="status" aria-live="polite">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'failed' &&
          'The browser refused the clipboard: the secret is selected, copy it with Ctrl+C.'}
      </p>
      {children}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
