import { type ReactNode, useState } from 'react';
import { ApiError, errorMessage } from '../../api';
import { ErrorNotice, PageLoading } from '../../components/states';
import { Timeline } from '../../components/timeline';
import { formatInstant } from '../../format';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import { describeScheduleEvent, scheduleActions } from '../../schedules';
import { getSchedule, getScheduleHistory, scheduleAction } from '../../schedules-api';
import type { DeliveryWindow, ScheduleHistory, ScheduleView } from '../../types';
import { describeWindow } from '../../zones';

interface Loaded {
  readonly schedule: ScheduleView;
  readonly history: ScheduleHistory;
}

function Fact({
  term,
  children,
}: {
  readonly term: string;
  readonly children: ReactNode;
}): ReactNode {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One schedule: its rule, next occurrences, history, and pause/resume/delete. */
export function SchedulePage({ id }: { readonly id: string }): ReactNode {
  const { navigate } = useRouter();
  const loaded = usePolling<Loaded>(
    `schedule:${id}`,
    async (signal) => {
      const [schedule, history] = await Promise.all([
        getSchedule(id, signal),
        getScheduleHistory(id, signal),
      ]);
      return { schedule, history };
    },
    5000,
  );
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  if (loaded.data === undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) {
      return (
        <section className="page">
          <h1>Schedule not found</h1>
          <p>There is no schedule {id} in your tenant.</p>
          <Link to="/schedules">Back to the schedules</Link>
        </section>
      );
    }
    return <PageLoading error={loaded.error} retry={loaded.reload} label="Loading the schedule…" />;
  }
  const { schedule, history } = loaded.data;
  const zone = schedule.timeZone;
  const act = async (action: 'pause' | 'resume' | 'delete'): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await scheduleAction(id, action);
      setConfirmDelete(false);
      if (action === 'delete') navigate('/schedules');
      else loaded.reload();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const actions = scheduleActions(schedule.status);
  const window = schedule.email.deliveryWindow as DeliveryWindow | undefined;
  const subject = typeof schedule.email.subject === 'string' ? schedule.email.subject : '';

  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/schedules">← Schedules</Link>
      </p>
      <div className="title-row">
        <h1>{subject === '' ? '(no subject)' : subject}</h1>
        <span className={`badge badge-schedule-${schedule.status}`}>{schedule.status}</span>
      </div>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {loaded.error !== undefined && <ErrorNotice error={loaded.error} retry={loaded.reload} />}
      <div className="email-grid">
        <div className="card">
          <dl className="facts facts-wide">
            <Fact term={schedule.rrule ? 'RRULE' : 'cron'}>
              <span className="mono">{schedule.rrule ?? schedule.cron}</span>
            </Fact>
            <Fact term="Time zone">{zone}</Fact>
            <Fact term="Starts">{formatInstant(schedule.startAt, zone)}</Fact>
            {schedule.until && <Fact term="Until">{formatInstant(schedule.until, zone)}</Fact>}
            <Fact term="Missed occurrences">
              {schedule.catchUp === 'all'
                ? 'all: created and sent at once'
                : 'skip: recorded as skipped'}
            </Fact>
            {window && <Fact term="Delivery window">{describeWindow(window)}</Fact>}
            {typeof schedule.email.expiresAfter === 'string' && (
              <Fact term="Each expires after">{schedule.email.expiresAfter}</Fact>
            )}
            <Fact term="Occurrences created">{schedule.occurrencesCreated ?? 0}</Fact>
            {schedule.lastOccurrenceAt && (
              <Fact term="Last occurrence">{formatInstant(schedule.lastOccurrenceAt, zone)}</Fact>
            )}
            <Fact term="Next occurrences">
              {schedule.nextOccurrences.length === 0 ? (
                'none'
              ) : (
                <ol>
                  {schedule.nextOccurrences.map((at) => (
                    <li key={at}>
                      <time dateTime={at}>{formatInstant(at, zone)}</time>
                    </li>
                  ))}
                </ol>
              )}
            </Fact>
            <Fact term="Emails">
              <Link to={`/emails?scheduleId=${id}`}>The emails of its occurrences</Link>
            </Fact>
          </dl>
          <div className="actions">
            {actions.includes('pause') && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => void act('pause')}
              >
                Pause
              </button>
            )}
            {actions.includes('resume') && (
              <button
                type="button"
                className="button secondary"
                disabled={busy}
                onClick={() => void act('resume')}
              >
                Resume
              </button>
            )}
            {actions.includes('delete') &&
              (confirmDelete ? (
                <span className="confirm" role="group" aria-label="Confirm deletion">
                  <span>Delete this schedule? No more occurrences will be created.</span>
                  <button
                    type="button"
                    className="button danger"
                    disabled={busy}
                    onClick={() => void act('delete')}
                    autoFocus
                  >
                    Yes, delete it
                  </button>
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => setConfirmDelete(false)}
                  >
                    Keep it
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="button danger-outline"
                  onClick={() => setConfirmDelete(true)}
                >
                  Delete…
                </button>
              ))}
          </div>
        </div>
        <div className="card">
          <h2>History</h2>
          <Timeline
            events={history.events}
            describe={(event) => describeScheduleEvent(event, zone)}
          />
        </div>
      </div>
    </section>
  );
}
