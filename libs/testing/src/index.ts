export * from './test-database';
export * from './wait-for';
export * from './email-histories';
export * from './free-port';
