// Specs read as "given this history, when this command, then these events (or this error)". The helper runs the
// real decide and evolve, and checks on every scenario what every decision must honour: decide leaves its inputs
// alone, and what it emits (and the state that follows) survives a JSON round trip unchanged.

import { decide } from '../decide';
import { DEFAULT_RULES, type DomainRules } from '../domain-rules';
import type { EmailCommand } from '../email-commands';
import type { EmailEvent } from '../email-events';
import type { EmailState } from '../email-state';
import { replay } from '../evolve';
import { withoutUndefined } from './json';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface Scenario {
  /** The state the history folds to, for specs that want to see it before the command. */
  readonly state: EmailState;
  when(command: EmailCommand, rules?: DomainRules): Outcome;
}

export interface Outcome {
  /** Asserts the exact events and returns the state they lead to. */
  then(expected: readonly EmailEvent[]): EmailState;
  /** Asserts decide refuses with this error class, whose fields include `match`. */
  thenThrows(errorClass: ErrorClass, match?: Record<string, unknown>): void;
}

export function given(history: readonly EmailEvent[]): Scenario {
  const state = deepFreeze(replay(structuredClone(history)));
  return {
    state,
    when(command, rules = DEFAULT_RULES) {
      const frozenCommand = deepFreeze(structuredClone(command));
      const run = (): readonly EmailEvent[] => decide(frozenCommand, state, rules);
      return {
        then(expected) {
          const events = run();
          expect(events).toStrictEqual(expected);
          expect(withoutUndefined(events)).toStrictEqual(events);
          const next = replay(events, state);
          expect(withoutUndefined(next)).toStrictEqual(next);
          return next;
        },
        thenThrows(errorClass, match) {
          let events: readonly EmailEvent[];
          try {
            events = run();
          } catch (error: unknown) {
            expect(error).toBeInstanceOf(errorClass);
            if (match) expect(error).toMatchObject(match);
            return;
          }
          throw new Error(
            `expected ${errorClass.name}, but decide emitted ${JSON.stringify(events)}`,
          );
        },
      };
    },
  };
}

// Frozen inputs turn any mutation inside decide into a TypeError (modules run in strict mode).
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
