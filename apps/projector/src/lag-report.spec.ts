import type { ProjectionStatus } from '@app/read-model';
import { lagLine, lagSummary } from './lag-report';

function status(overrides: Partial<ProjectionStatus> = {}): ProjectionStatus {
  return {
    name: 'emails',
    state: 'live',
    generation: 1,
    position: '10/10',
    head: '10/10',
    lagEvents: 0,
    lagEventsCapped: false,
    lagSeconds: 0,
    eventsProjected: 100,
    lastSwapAt: null,
    rebuild: null,
    ...overrides,
  };
}

const rebuild = (progress: number): ProjectionStatus['rebuild'] => ({
  generation: 2,
  position: null,
  eventsProjected: 0,
  progress,
  indexed: false,
  startedAt: null,
});

describe('lagSummary', () => {
  it('does not change while the projection keeps up, whatever the events in flight', () => {
    const quiet = lagSummary(status());
    expect(lagSummary(status({ lagEvents: 40, lagSeconds: 0.3, position: '99/99' }))).toBe(quiet);
    expect(lagSummary(status({ lagEvents: 5_000, lagSeconds: 9.9 }))).toBe(quiet);
  });

  it('changes when the projection falls behind and when it catches up', () => {
    const behind = lagSummary(status({ lagEvents: 300, lagSeconds: 10 }));
    expect(behind).not.toBe(lagSummary(status()));
    expect(lagSummary(status({ lagEvents: 2, lagSeconds: 0.1 }))).toBe(lagSummary(status()));
  });

  it('while behind, changes when the events behind double or halve, not in between', () => {
    const at = (lagEvents: number): string => lagSummary(status({ lagEvents, lagSeconds: 30 }));
    expect(at(1_100)).toBe(at(2_000));
    expect(at(2_100)).not.toBe(at(2_000));
    expect(at(1_000)).not.toBe(at(1_100));
  });

  it('changes when a rebuild starts, at each tenth of its progress, and when it ends', () => {
    const live = lagSummary(status());
    expect(lagSummary(status({ rebuild: rebuild(0) }))).not.toBe(live);
    expect(lagSummary(status({ rebuild: rebuild(0.11) }))).toBe(
      lagSummary(status({ rebuild: rebuild(0.19) })),
    );
    expect(lagSummary(status({ rebuild: rebuild(0.2) }))).not.toBe(
      lagSummary(status({ rebuild: rebuild(0.19) })),
    );
  });
});

describe('lagLine', () => {
  it('says whether the projection keeps up, with the figures and any rebuild', () => {
    expect(lagLine(status({ lagEvents: 3, lagSeconds: 0.25 }))).toBe(
      'projection caught up: lag 3 events, 0.3 s, position 10/10',
    );
    expect(
      lagLine(
        status({
          lagEvents: 10_000,
          lagEventsCapped: true,
          lagSeconds: 42,
          position: null,
          rebuild: rebuild(0.4),
        }),
      ),
    ).toBe(
      'projection behind: lag 10000+ events, 42.0 s, position start, rebuilding generation 2 (40 %)',
    );
  });
});
