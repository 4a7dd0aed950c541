import type { ReactNode } from 'react';
import { formatInstant } from '../format';
import { type TimelineEntry, describeEvent } from '../timeline';
import type { HistoryEvent } from '../types';

/** A stream's events in words: an email's by default, another stream's with its own `describe`. */
export function Timeline({
  events,
  describe = describeEvent,
}: {
  readonly events: readonly HistoryEvent[];
  readonly describe?: (event: HistoryEvent) => TimelineEntry;
}): ReactNode {
  return (
    <ol className="timeline" aria-label="History">
      {events.map((event) => {
        const entry = describe(event);
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
