// Promise plumbing with no domain in it: requests served together in batches, waiting that a stop cuts short.
export { Batcher } from './batcher';
export { mapConcurrently } from './map-concurrently';
export { sleep } from './sleep';
