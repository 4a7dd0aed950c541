export * from './config';
export * from './logging';
export * from './postgres';
export * from './redis';
export * from './event-store';
export * from './health';
export * from './bootstrap';
export * from './metrics';
