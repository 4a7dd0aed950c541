export * from './test-database';
export * from './wait-for';
export * from './email-histories';
export * from './free-port';
export * from './smtp-sink';
export * from './socket-owner';
export * from './describe-machine';
