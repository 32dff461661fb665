/** The validation split lives with the model (boosting holds rows out with it too); re-exported here. */
export { stratifiedSplit } from '../model/holdout.js';
