export { ProcessModule } from './process.module';
export { listeningUrl } from './listening-url';
