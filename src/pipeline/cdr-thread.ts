/** Worker thread entry reading parts of a run's CDR files into the CDR aggregator (see cdr.ts). */
import { serveCdrParts } from '../io/cdr/serve.js';
import { CDR_AGGREGATION } from './cdr-aggregation.js';

serveCdrParts(CDR_AGGREGATION);
