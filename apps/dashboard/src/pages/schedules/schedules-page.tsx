import { type ReactNode, useState } from 'react';
import { Pager, useCursorPages } from '../../components/pager';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { Table } from '../../components/table';
import { formatInstant } from '../../format';
import { usePolling } from '../../polling';
import { Link, useRouter } from '../../router';
import { listSchedules, schedulesPath } from '../../schedules-api';
import { ScheduleForm } from './schedule-form';

const PAGE_SIZE = 25;

/** The tenant's recurring sends, and a form for a new one. */
export function SchedulesPage(): ReactNode {
  const { navigate } = useRouter();
  const pages = useCursorPages();
  const path = schedulesPath(pages.cursor, PAGE_SIZE);
  const list = usePolling(path, (signal) => listSchedules(path, signal), 10_000);
  const [creating, setCreating] = useState(false);
  return (
    <section className="page">
      <h1>Schedules</h1>
      <p className="muted">
        A recurring send: each occurrence of its rule, in its time zone, becomes one email, created
        exactly once.
      </p>
      {creating ? (
        <ScheduleForm
          onCreated={(schedule) => navigate(`/schedules/${schedule.id}`)}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <div className="actions page-actions">
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New schedule
          </button>
        </div>
      )}
      {list.error !== undefined && <ErrorNotice error={list.error} retry={list.reload} />}
      {list.loading && <Loading label="Loading the schedules…" />}
      {list.data?.items.length === 0 && (
        <Empty>
          <p>No schedules yet.</p>
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table className="schedules" columns={['Subject', 'Rule', 'Status', 'Next']}>
          {list.data.items.map((schedule) => (
            <tr key={schedule.id}>
              <td data-label="Subject">
                <Link to={`/schedules/${schedule.id}`} className="subject-link">
                  {typeof schedule.email.subject === 'string' && schedule.email.subject !== ''
                    ? schedule.email.subject
                    : '(no subject)'}
                </Link>
              </td>
              <td data-label="Rule" className="mono wrap">
                {schedule.rrule ?? schedule.cron} <span className="muted">{schedule.timeZone}</span>
              </td>
              <td data-label="Status">
                <span className={`badge badge-schedule-${schedule.status}`}>{schedule.status}</span>
              </td>
              <td data-label="Next">
                {formatInstant(schedule.nextOccurrences[0], schedule.timeZone)}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager pages={pages} list={list.data} previous="← Previous" next="Next →" />
    </section>
  );
}
