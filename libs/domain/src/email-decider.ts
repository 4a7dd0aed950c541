// The three parts of the decider in one value, for generic command-handling code that takes any decider
// (emmett's shape): load a stream, fold it with evolve from initialState, decide, append.

import { decide } from './decide';
import { initialState } from './email-state';
import { evolve } from './evolve';

export const emailDecider = Object.freeze({ decide, evolve, initialState });
