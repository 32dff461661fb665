/** Worker thread entry of the counting aggregation (counting.ts). */
import { serveCdrParts } from '../../../src/io/cdr/index.js';
import { COUNTING } from './counting.js';

serveCdrParts(COUNTING);
