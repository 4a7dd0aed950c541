import { type ReactNode, useState } from 'react';

/**
 * Inside the frame, on top of the page's own policy (which a srcdoc document inherits): nothing
 * may load but inline styles and `data:` images. No script runs at all: the sandbox has no
 * allow-scripts, and without allow-same-origin the body is a stranger to the dashboard's origin.
 */
export const EMAIL_FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function emailFrameDocument(html: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}">` +
    `<base target="_blank"></head><body>${html}</body></html>`
  );
}

/** A stored email body: HTML only ever inside the sandboxed frame, text as text. */
export function EmailBody({
  html,
  text,
}: {
  readonly html: string | undefined;
  readonly text: string | undefined;
}): ReactNode {
  const [view, setView] = useState<'html' | 'text'>(html !== undefined ? 'html' : 'text');
  if (html === undefined && text === undefined) return <p className="muted">No body.</p>;
  return (
    <div className="email-body">
      {html !== undefined && text !== undefined && (
        <div className="segmented" role="group" aria-label="Body format">
          <button type="button" aria-pressed={view === 'html'} onClick={() => setView('html')}>
            HTML
          </button>
          <button type="button" aria-pressed={view === 'text'} onClick={() => setView('text')}>
            Text
          </button>
        </div>
      )}
      {view === 'html' && html !== undefined ? (
        <iframe
          className="email-frame"
          title="Email body (HTML, scripts disabled)"
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          srcDoc={emailFrameDocument(html)}
        />
      ) : (
        <pre className="email-text">{text}</pre>
      )}
      {view === 'html' && html !== undefined && (
        <p className="hint">Shown with scripts off and remote images blocked.</p>
      )}
    </div>
  );
}
