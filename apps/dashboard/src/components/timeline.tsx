import type { ReactNode } from 'react';
import { formatInstant } from '../format';
import { describeEvent } from '../timeline';
import type { HistoryEvent } from '../types';

export function Timeline({ events }: { readonly events: readonly HistoryEvent[] }): ReactNode {
  return (
    <ol className="timeline" aria-label="History">
      {events.map((event) => {
        const entry = describeEvent(event);
        return (
          <li key={entry.revision} className={`timeline-entry tone-${entry.tone}`}>
            <div className="timeline-head">
              <strong>{entry.title}</strong>
              <span className="muted">
                rev {entry.revision} ·{' '}
                <time dateTime={entry.recordedAt}>{formatInstant(entry.recordedAt)}</time>
              </span>
            </div>
            {entry.facts.length > 0 && (
              <dl className="facts">
                {entry.facts.map(([label, value]) => (
                  <div key={label}>
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}
