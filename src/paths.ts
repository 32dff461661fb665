/** Files shipped with the package, located relative to it (src/ and dist/ both sit one level below the root). */
import { fileURLToPath } from 'node:url';

/** The default model `retain score` uses when no --model is given. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../models/default.model.json', import.meta.url));
