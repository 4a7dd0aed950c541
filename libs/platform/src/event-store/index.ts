export { EVENT_STORE, EventStoreModule } from './event-store.module';
