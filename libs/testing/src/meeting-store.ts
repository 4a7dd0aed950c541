// Makes racers really meet: an EventStore whose whole-stream reads of one stream are held until every
// expected racer has read it, so all of them decide on the same revision before any of them appends.
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadCategoryOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  SubscribeOptions,
  Subscription,
} from '@app/event-store';

/** Where `racers` readers of `streamName` wait for each other; a reader that waits past `timeoutMs` fails. */
export class MeetingPoint {
  private arrived = 0;
  private readonly all: Promise<void>;
  private release!: () => void;

  constructor(
    readonly streamName: string,
    readonly racers: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.all = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  /** Resolves when the last racer has arrived; rejects (failing the test) if they never all do. */
  async arrive(): Promise<void> {
    this.arrived += 1;
    if (this.arrived === this.racers) this.release();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`only ${this.arrived} of ${this.racers} racers read ${this.streamName}`),
          ),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get count(): number {
    return this.arrived;
  }
}

/** The store, with reads of a meeting point's stream held at it while a meeting is set. */
export class MeetingStore implements EventStore {
  meeting: MeetingPoint | undefined;

  constructor(private readonly inner: EventStore) {}

  append(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    return this.inner.append(streamName, events, expectedRevision);
  }

  appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    return this.inner.appendMany(appends);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(streamName, options);
    const meeting = this.meeting;
    if (meeting && meeting.streamName === streamName && meeting.count < meeting.racers) {
      await meeting.arrive();
    }
    return events;
  }

  readCategory(category: string, options: ReadCategoryOptions): Promise<RecordedEvent[]> {
    return this.inner.readCategory(category, options);
  }

  subscribeToCategory(
    category: string,
    handler: BatchHandler,
    options: SubscribeOptions,
  ): Subscription {
    return this.inner.subscribeToCategory(category, handler, options);
  }

  headPosition(category: string): Promise<Position | 'start'> {
    return this.inner.headPosition(category);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
