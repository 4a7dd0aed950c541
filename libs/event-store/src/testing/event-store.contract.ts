import { randomUUID } from 'node:crypto';
import { ConcurrencyError, StreamNotFoundError } from '../event-store.errors';
import type {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  Subscription,
} from '../event-store.port';
import { comparePositions } from '../position';
import { waitFor } from '@app/testing';

export interface EventStoreHarness {
  /** Why the adapter cannot run here; the suite is then registered as skipped (never as passed). */
  readonly skipReason?: string;
  create(): Promise<EventStore>;
  /** Cuts the store's live server connections so that its subscriptions must resubscribe. */
  dropConnections(store: EventStore): Promise<void>;
  /**
   * Appends inside a transaction that stays open for `holdMs` before committing, where the adapter
   * has such a thing, to provoke the commit-order gap; otherwise a plain append.
   */
  appendHoldingTransaction?(
    store: EventStore,
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    holdMs: number,
  ): Promise<void>;
  /** Event data this store refuses to store (a NUL for Postgres's jsonb, a size over the limit for ESDB). */
  readonly unstorableData: Record<string, unknown>;
  /** Called once after the suite, to drop what `create` made. */
  cleanUp?(): Promise<void>;
}

function newCategory(): string {
  return `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

function event(type = 'Happened', data: Record<string, unknown> = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { schemaVersion: 1 } };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Collects what a subscription delivers and checks it arrives once each, in position order. */
class Collector {
  readonly events: RecordedEvent[] = [];
  private running = 0;
  overlapped = false;

  readonly handle = async (batch: readonly RecordedEvent[]): Promise<void> => {
    this.running += 1;
    if (this.running > 1) this.overlapped = true;
    await Promise.resolve();
    this.events.push(...batch);
    this.running -= 1;
  };

  ids(): string[] {
    return this.events.map((e) => e.id);
  }

  expectStrictlyOrdered(): void {
    for (let i = 1; i < this.events.length; i += 1) {
      const [prev, next] = [this.events[i - 1], this.events[i]];
      if (!prev || !next) continue;
      if (comparePositions(prev.position, next.position) >= 0) {
        throw new Error(`delivery out of order or repeated at index ${i}`);
      }
    }
  }
}

export function describeEventStoreContract(adapterName: string, harness: EventStoreHarness): void {
  const describeOrSkip = harness.skipReason ? describe.skip : describe;
  describeOrSkip(
    `EventStore contract: ${adapterName}${harness.skipReason ? ` (skipped: ${harness.skipReason})` : ''}`,
    () => {
      let store: EventStore;
      let category: string;
      const subscriptions: Subscription[] = [];
      const stream = (): string => `${category}-${randomUUID()}`;
      const subscribe = (...args: Parameters<EventStore['subscribeToCategory']>): Subscription => {
        const subscription = store.subscribeToCategory(...args);
        subscriptions.push(subscription);
        return subscription;
      };

      beforeAll(async () => {
        store = await harness.create();
      });
      afterAll(async () => {
        await store.close();
        await harness.cleanUp?.();
      });
      beforeEach(() => {
        category = newCategory();
      });
      afterEach(async () => {
        await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
      });

      describe('append and readStream', () => {
        it('stores events at revisions counted from 0 and reads them back as written', async () => {
          const name = stream();
          const written = [event('A', { n: 1 }), event('B', { nested: { ok: true } })];
          const result = await store.append(name, written, 'no-stream');
          expect(result.nextRevision).toBe(1);

          const read = await store.readStream(name);
          expect(read.map((e) => [e.id, e.revision, e.type, e.data, e.streamName])).toEqual([
            [written[0]?.id, 0, 'A', { n: 1 }, name],
            [written[1]?.id, 1, 'B', { nested: { ok: true } }, name],
          ]);
          expect(read[0]?.metadata).toEqual({ schemaVersion: 1 });
          expect(read[0]?.recordedAt).toBeInstanceOf(Date);
          expect(comparePositions(read[1]!.position, result.position)).toBe(0);
        });

        it('appends at the expected revision and continues the count', async () => {
          const name = stream();
          await store.append(name, [event()], 'no-stream');
          const result = await store.append(name, [event(), event()], 0);
          expect(result.nextRevision).toBe(2);
          expect((await store.readStream(name)).map((e) => e.revision)).toEqual([0, 1, 2]);
        });

        it("refuses 'no-stream' on an existing stream, naming the actual revision", async () => {
          const name = stream();
          await store.append(name, [event(), event()], 'no-stream');
          const error = await rejectionOf(store.append(name, [event()], 'no-stream'));
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({ streamName: name, expected: 'no-stream', actual: 1 });
        });

        it('refuses a stale or future expected revision and writes nothing', async () => {
          const name = stream();
          await store.append(name, [event(), event(), event()], 'no-stream');
          for (const expected of [0, 1, 5]) {
            const error = await rejectionOf(store.append(name, [event()], expected));
            expect(error).toMatchObject({ name: 'ConcurrencyError', expected, actual: 2 });
          }
          expect(await store.readStream(name)).toHaveLength(3);
        });

        it("refuses an exact revision and 'stream-exists' on a stream that does not exist", async () => {
          const name = stream();
          expect(await rejectionOf(store.append(name, [event()], 0))).toMatchObject({
            name: 'ConcurrencyError',
            actual: 'no-stream',
          });
          expect(await rejectionOf(store.append(name, [event()], 'stream-exists'))).toMatchObject({
            name: 'ConcurrencyError',
            expected: 'stream-exists',
            actual: 'no-stream',
          });
          await expect(store.readStream(name)).rejects.toBeInstanceOf(StreamNotFoundError);
        });

        it("appends with 'stream-exists' and 'any' whatever the revision", async () => {
          const name = stream();
          expect((await store.append(name, [event()], 'any')).nextRevision).toBe(0);
          expect((await store.append(name, [event()], 'any')).nextRevision).toBe(1);
          expect((await store.append(name, [event()], 'stream-exists')).nextRevision).toBe(2);
        });

        it('lets exactly one of two racing appenders win; the loser learns the actual revision', async () => {
          for (let round = 0; round < 10; round += 1) {
            const name = stream();
            await store.append(name, [event()], 'no-stream');
            const results = await Promise.allSettled([
              store.append(name, [event('Racer', { who: 1 })], 0),
              store.append(name, [event('Racer', { who: 2 })], 0),
            ]);
            const won = results.filter((r) => r.status === 'fulfilled');
            const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
            expect(won).toHaveLength(1);
            expect(lost).toHaveLength(1);
            expect(lost[0]?.reason).toBeInstanceOf(ConcurrencyError);
            expect(lost[0]?.reason).toMatchObject({ expected: 0, actual: 1 });
            expect(await store.readStream(name)).toHaveLength(2);
          }
        });

        it('lets exactly one of many racing stream creators win', async () => {
          const name = stream();
          const results = await Promise.allSettled(
            Array.from({ length: 20 }, (_, i) =>
              store.append(name, [event('Create', { i })], 'no-stream'),
            ),
          );
          expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
          const reasons = results.flatMap((r) =>
            r.status === 'rejected' ? [r.reason as unknown] : [],
          );
          expect(reasons).toHaveLength(19);
          for (const reason of reasons)
            expect(reason).toMatchObject({ name: 'ConcurrencyError', actual: 0 });
        });

        it('treats a re-append of the same event ids at the same expected revision as a no-op', async () => {
          const name = stream();
          const first = [event('A'), event('B')];
          const original = await store.append(name, first, 'no-stream');
          const retried = await store.append(name, first, 'no-stream');
          expect(retried.nextRevision).toBe(original.nextRevision);
          expect(comparePositions(retried.position, original.position)).toBe(0);

          const second = [event('C')];
          const appended = await store.append(name, second, 1);
          expect(await store.append(name, second, 1)).toEqual(appended);
          expect(await store.append(name, second, 'any')).toEqual(appended);
          expect((await store.readStream(name)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
        });

        it('refuses another decision at a taken revision even when its events look the same: only the same ids are a retry', async () => {
          const name = stream();
          await store.append(name, [event('Created')], 'no-stream');
          const claim = (): EventToAppend[] => [event('Claimed', { worker: 'w1', job: 'j1' })];
          await store.append(name, claim(), 0);
          // Same type, same data, same expected revision: a second claim, not a retry of the first.
          const second = await rejectionOf(store.append(name, claim(), 0));
          expect(second).toBeInstanceOf(ConcurrencyError);
          expect(second).toMatchObject({ expected: 0, actual: 1 });
          const [many] = await store.appendMany([
            { streamName: name, events: claim(), expectedRevision: 0 },
          ]);
          expect(many).toMatchObject({ name: 'ConcurrencyError', actual: 1 });
          // Part of the ids of a stored append is no retry either.
          const stored = await store.readStream(name);
          const partly = [
            { ...event('Created'), id: stored[0]?.id ?? randomUUID() },
            event('Other'),
          ];
          expect(await rejectionOf(store.append(name, partly, 'no-stream'))).toBeInstanceOf(
            ConcurrencyError,
          );
          expect((await store.readStream(name)).map((e) => e.type)).toEqual(['Created', 'Claimed']);
        });

        it('two decisions meeting at one revision in one appendMany: the first wins, the second is refused', async () => {
          const name = stream();
          await store.append(name, [event('Created')], 'no-stream');
          const results = await store.appendMany([
            { streamName: name, events: [event('Claimed')], expectedRevision: 0 },
            { streamName: name, events: [event('Claimed')], expectedRevision: 0 },
          ]);
          // Which one wins is the store's to say (ESDB runs them side by side); that exactly one does is not.
          expect(results.filter((r) => !(r instanceof Error))).toHaveLength(1);
          const refused = results.filter((r) => r instanceof ConcurrencyError);
          expect(refused).toHaveLength(1);
          expect(refused[0]).toMatchObject({ expected: 0, actual: 1 });
          expect(await store.readStream(name)).toHaveLength(2);
        });

        it('appendMany answers an append whose payload the store refuses with its own error and writes the others', async () => {
          const [before, bad, after] = [stream(), stream(), stream()];
          const results = await store.appendMany([
            { streamName: before, events: [event('Fine')], expectedRevision: 'no-stream' },
            {
              streamName: bad,
              events: [event('Poisoned', harness.unstorableData)],
              expectedRevision: 'no-stream',
            },
            { streamName: after, events: [event('Fine')], expectedRevision: 'no-stream' },
          ]);
          expect(results[0]).toMatchObject({ nextRevision: 0 });
          expect(results[1]).toBeInstanceOf(Error);
          expect(results[1]).not.toBeInstanceOf(ConcurrencyError);
          expect(results[2]).toMatchObject({ nextRevision: 0 });
          expect(await rejectionOf(store.readStream(bad))).toBeInstanceOf(StreamNotFoundError);
          expect((await store.readStream(after)).map((e) => e.type)).toEqual(['Fine']);
          // The same refusal on its own append is thrown.
          expect(
            await rejectionOf(store.append(bad, [event('P', harness.unstorableData)], 'any')),
          ).toBeInstanceOf(Error);
        });

        it('lets racing retries of one append all succeed with one copy written', async () => {
          const name = stream();
          const same = [event('Once')];
          const results = await Promise.all(
            Array.from({ length: 10 }, () => store.append(name, same, 'no-stream')),
          );
          expect(new Set(results.map((r) => r.nextRevision))).toEqual(new Set([0]));
          expect(await store.readStream(name)).toHaveLength(1);
        });

        it('appendMany writes to several streams at once, each at its own expected revision, answered in order', async () => {
          const [a, b, c] = [stream(), stream(), stream()];
          await store.append(b, [event('B0')], 'no-stream');
          const results = await store.appendMany([
            { streamName: a, events: [event('A0'), event('A1')], expectedRevision: 'no-stream' },
            { streamName: b, events: [event('B1')], expectedRevision: 0 },
            { streamName: c, events: [event('C0')], expectedRevision: 'any' },
          ]);
          expect(results.map((r) => (r instanceof Error ? r : r.nextRevision))).toEqual([1, 1, 0]);
          expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0', 'A1']);
          expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0', 'B1']);
          const [lastOfA] = await store.readStream(a, { fromRevision: 1 });
          const first = results[0];
          if (!lastOfA || !first || first instanceof Error) throw new Error('no result');
          expect(comparePositions(first.position, lastOfA.position)).toBe(0);
        });

        it("appendMany answers a refused expectation with that stream's ConcurrencyError and writes the others", async () => {
          const [taken, fresh, stale] = [stream(), stream(), stream()];
          await store.append(taken, [event()], 'no-stream');
          await store.append(stale, [event(), event()], 'no-stream');
          const results = await store.appendMany([
            { streamName: taken, events: [event()], expectedRevision: 'no-stream' },
            { streamName: fresh, events: [event('Fresh')], expectedRevision: 'no-stream' },
            { streamName: stale, events: [event()], expectedRevision: 0 },
          ]);
          expect(results[0]).toMatchObject({ name: 'ConcurrencyError', actual: 0 });
          expect(results[1]).toMatchObject({ nextRevision: 0 });
          expect(results[2]).toMatchObject({ name: 'ConcurrencyError', actual: 1 });
          expect(await store.readStream(taken)).toHaveLength(1);
          expect((await store.readStream(fresh)).map((e) => e.type)).toEqual(['Fresh']);
          expect(await store.readStream(stale)).toHaveLength(2);
        });

        it('appendMany takes two appends to one stream in order, the second at the revision the first made', async () => {
          const name = stream();
          const results = await store.appendMany([
            { streamName: name, events: [event('First')], expectedRevision: 'no-stream' },
            { streamName: name, events: [event('Second')], expectedRevision: 0 },
          ]);
          expect(results.map((r) => (r instanceof Error ? r : r.nextRevision))).toEqual([0, 1]);
          expect((await store.readStream(name)).map((e) => e.type)).toEqual(['First', 'Second']);
        });

        it('appendMany retried with the same event ids is a no-op answered as the first time', async () => {
          const appends = [stream(), stream()].map((name) => ({
            streamName: name,
            events: [event(), event()],
            expectedRevision: 'no-stream' as const,
          }));
          const first = await store.appendMany(appends);
          const again = await store.appendMany(appends);
          expect(again).toEqual(first);
          for (const { streamName } of appends)
            expect(await store.readStream(streamName)).toHaveLength(2);
        });

        it('appendMany racing single appends on the same streams keeps each stream in category order', async () => {
          const names = Array.from({ length: 10 }, () => stream());
          const writers = Array.from({ length: 6 }, async (_, w) => {
            for (let round = 0; round < 5; round += 1) {
              if (w % 2 === 0) {
                await store.appendMany(
                  names.map((name) => ({
                    streamName: name,
                    events: [event()],
                    expectedRevision: 'any',
                  })),
                );
              } else {
                for (const name of names) await store.append(name, [event()], 'any');
              }
            }
          });
          await Promise.all(writers);
          const all = await store.readCategory(category, { after: 'start', maxCount: 10_000 });
          expect(all).toHaveLength(names.length * 30);
          const lastRevision = new Map<string, number>();
          for (const recorded of all) {
            expect(recorded.revision).toBe((lastRevision.get(recorded.streamName) ?? -1) + 1);
            lastRevision.set(recorded.streamName, recorded.revision);
          }
        });

        it('reads forwards from a revision, backwards from the end or a revision, with a limit', async () => {
          const name = stream();
          await store.append(
            name,
            Array.from({ length: 6 }, (_, i) => event('E', { i })),
            'no-stream',
          );
          const revisions = async (
            options: Parameters<EventStore['readStream']>[1],
          ): Promise<number[]> => (await store.readStream(name, options)).map((e) => e.revision);

          expect(await revisions({ fromRevision: 3 })).toEqual([3, 4, 5]);
          expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
          expect(await revisions({ direction: 'backwards' })).toEqual([5, 4, 3, 2, 1, 0]);
          expect(await revisions({ direction: 'backwards', maxCount: 1 })).toEqual([5]);
          expect(await revisions({ direction: 'backwards', fromRevision: 2 })).toEqual([2, 1, 0]);
          expect(await revisions({ fromRevision: 9 })).toEqual([]);
        });

        it('reports a stream that does not exist as not found', async () => {
          const error = await rejectionOf(store.readStream(stream()));
          expect(error).toBeInstanceOf(StreamNotFoundError);
        });
      });

      describe('category reads', () => {
        it('reads only the category, in position order, strictly after a position', async () => {
          const [a, b] = [stream(), stream()];
          await store.append(a, [event('A0')], 'no-stream');
          await store.append(`other${category}-${randomUUID()}`, [event('Elsewhere')], 'no-stream');
          await store.append(b, [event('B0'), event('B1')], 'no-stream');
          await store.append(a, [event('A1')], 0);

          const all = await store.readCategory(category, { after: 'start', maxCount: 100 });
          expect(all.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
          for (let i = 1; i < all.length; i += 1) {
            expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBeLessThan(0);
          }
          const afterSecond = await store.readCategory(category, {
            after: all[1]!.position,
            maxCount: 100,
          });
          expect(afterSecond.map((e) => e.type)).toEqual(['B1', 'A1']);
          expect(
            await store.readCategory(category, { after: all[3]!.position, maxCount: 100 }),
          ).toEqual([]);
        });

        it('pages through a category with no duplicate and no gap', async () => {
          const written: string[] = [];
          for (let i = 0; i < 25; i += 1) {
            const e = event('Paged', { i });
            written.push(e.id);
            await store.append(stream(), [e], 'no-stream');
          }
          const seen: string[] = [];
          let after: Parameters<EventStore['readCategory']>[1]['after'] = 'start';
          for (;;) {
            const page = await store.readCategory(category, { after, maxCount: 7 });
            const last = page[page.length - 1];
            if (!last) break;
            seen.push(...page.map((e) => e.id));
            after = last.position;
          }
          expect(seen).toEqual(written);
        });

        it("gives the head of a category: 'start' when empty, then the newest event's position", async () => {
          expect(await store.headPosition(category)).toBe('start');
          await store.append(stream(), [event()], 'no-stream');
          const last = await store.append(stream(), [event(), event()], 'no-stream');
          const head = await store.headPosition(category);
          expect(head).not.toBe('start');
          if (head !== 'start') expect(comparePositions(head, last.position)).toBe(0);
        });
      });

      describe('subscriptions', () => {
        it('catches up from the start, then delivers live events within moments', async () => {
          const name = stream();
          await store.append(name, [event('Old0'), event('Old1')], 'no-stream');
          const collector = new Collector();
          subscribe(category, collector.handle, { after: 'start' });
          await waitFor('the catch-up', () => collector.events.length === 2);

          const appendedAt = Date.now();
          await store.append(name, [event('Live')], 1);
          await waitFor('the live event', () => collector.events.length === 3, 2_000, 1);
          const latencyMs = Date.now() - appendedAt;
          expect(collector.events.map((e) => e.type)).toEqual(['Old0', 'Old1', 'Live']);
          // Live delivery comes from a wake-up, not from the safety-net poll.
          expect(latencyMs).toBeLessThan(200);
        });

        it('starts strictly after a stored checkpoint', async () => {
          const name = stream();
          await store.append(name, [event('Seen0'), event('Seen1')], 'no-stream');
          const checkpoint = (await store.readStream(name))[1]!.position;
          await store.append(name, [event('New')], 1);
          const collector = new Collector();
          subscribe(category, collector.handle, { after: checkpoint });
          await waitFor('the new event', () => collector.events.length >= 1);
          await store.append(stream(), [event('Later')], 'no-stream');
          await waitFor('the later event', () => collector.events.length >= 2);
          expect(collector.events.map((e) => e.type)).toEqual(['New', 'Later']);
        });

        it('delivers in batches, one handler call at a time, and stop() waits for the running one', async () => {
          for (let i = 0; i < 10; i += 1)
            await store.append(stream(), [event('E', { i })], 'no-stream');
          const sizes: number[] = [];
          let running = 0;
          let overlapped = false;
          let finishedAfterStop = false;
          const subscription = subscribe(
            category,
            async (batch) => {
              running += 1;
              overlapped ||= running > 1;
              sizes.push(batch.length);
              await new Promise((resolve) => setTimeout(resolve, 20));
              running -= 1;
              finishedAfterStop = true;
            },
            { after: 'start', maxBatchSize: 3 },
          );
          await waitFor('all batches', () => sizes.reduce((a, b) => a + b, 0) === 10);
          expect(sizes.every((s) => s <= 3)).toBe(true);
          expect(overlapped).toBe(false);
          finishedAfterStop = false;
          await store.append(stream(), [event('Last')], 'no-stream');
          await waitFor('the last handler call to start', () => running === 1);
          await subscription.stop();
          expect(finishedAfterStop).toBe(true);
          expect(running).toBe(0);
        });

        it('ends with the handler error rather than skipping the batch it refused', async () => {
          await store.append(stream(), [event('Poison')], 'no-stream');
          let calls = 0;
          const subscription = subscribe(
            category,
            () => {
              calls += 1;
              return Promise.reject(new Error('handler refused'));
            },
            { after: 'start' },
          );
          await expect(subscription.done).rejects.toThrow('handler refused');
          await store.append(stream(), [event('After')], 'no-stream');
          expect(calls).toBe(1);
        });

        it('resubscribes by itself after its connections are killed, losing and repeating nothing', async () => {
          const collector = new Collector();
          const drops: unknown[] = [];
          subscribe(category, collector.handle, { after: 'start', onDrop: (e) => drops.push(e) });
          const written: string[] = [];
          // The same event is retried, so a retry of an append that did commit is a no-op.
          const appendOne = async (): Promise<void> => {
            const [name, e] = [stream(), event('Beat')];
            await retryWhileReconnecting(() => store.append(name, [e], 'no-stream'));
            written.push(e.id);
          };
          for (let i = 0; i < 5; i += 1) await appendOne();
          await waitFor('the first events', () => collector.events.length === 5);

          await harness.dropConnections(store);
          for (let i = 0; i < 5; i += 1) await appendOne();
          await waitFor('events after the drop', () => collector.events.length === 10, 10_000);
          expect(collector.ids()).toEqual(written);
          collector.expectStrictlyOrdered();
        });

        it('stress: 32 concurrent appenders, some holding transactions open, each event seen once in order', async () => {
          const collector = new Collector();
          subscribe(category, collector.handle, { after: 'start', maxBatchSize: 100 });
          const streams = Array.from({ length: 64 }, () => stream());
          const written = new Set<string>();
          const writers = Array.from({ length: 32 }, async (_, w) => {
            for (let i = 0; i < 25; i += 1) {
              const name = streams[(w * 7 + i) % streams.length]!;
              const batch = [event('Stress', { w, i }), event('Stress', { w, i, second: true })];
              const slow = harness.appendHoldingTransaction && (w + i) % 9 === 0;
              try {
                if (slow)
                  await harness.appendHoldingTransaction!(
                    store,
                    name,
                    batch,
                    'any',
                    30 + (w % 5) * 20,
                  );
                else await store.append(name, batch, 'any');
                batch.forEach((e) => written.add(e.id));
              } catch (error) {
                throw new Error(`writer ${w} failed: ${String(error)}`);
              }
            }
          });
          await Promise.all(writers);
          expect(written.size).toBe(32 * 25 * 2);
          await waitFor('every event', () => collector.events.length >= written.size, 20_000);
          // Give any duplicate a chance to show up before judging.
          await store.append(stream(), [event('Sentinel')], 'no-stream');
          await waitFor(
            'the sentinel',
            () => collector.events.some((e) => e.type === 'Sentinel'),
            5_000,
          );

          const delivered = collector.events.filter((e) => e.type === 'Stress');
          expect(new Set(delivered.map((e) => e.id))).toEqual(written);
          expect(delivered).toHaveLength(written.size);
          collector.expectStrictlyOrdered();
          expect(collector.overlapped).toBe(false);
          // Per stream, revisions arrive in order too.
          const lastRevision = new Map<string, number>();
          for (const e of delivered) {
            expect(e.revision).toBeGreaterThan(lastRevision.get(e.streamName) ?? -1);
            lastRevision.set(e.streamName, e.revision);
          }
        }, 60_000);
      });
    },
  );
}

/** After a connection kill, the first query on a dead pooled connection may fail once. */
async function retryWhileReconnecting(action: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await action();
      return;
    } catch (error) {
      if (attempt >= 5 || error instanceof ConcurrencyError) throw error;
    }
  }
}
