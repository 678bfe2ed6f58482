import { postgresDatabase } from './databases.ts';
import { storeSuite } from './suite.ts';

storeSuite(postgresDatabase);
