import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Injection token of this worker's id, recorded in every attempt it claims. */
export const WORKER_ID = Symbol('WORKER_ID');

/** hostname:pid:random — unique per process and per app instance within one. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
