export { ProcessModule } from './process.module';
