// Promise plumbing with no domain in it: waiting that a stop cuts short.
export { sleep } from './sleep';
