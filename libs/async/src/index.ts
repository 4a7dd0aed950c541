// Promise plumbing with no domain in it: requests served together in batches, waiting that a stop cuts short.
export { Batcher } from './batcher';
export { sleep } from './sleep';
