// Public API of src/lifecycle/: each module's exports are added here by that module's author.
export { assignLifecycle, type LifecycleOptions, type LifecycleSettings } from './assign.js';
export { warningCapacity } from './capacity.js';
export {
  type ControlBand,
  type ControlSettings,
  type ControlSizing,
  controlBand,
  controlDraw,
  controlSizingOf,
  type PowerSettings,
  resolveControlShare,
  sizeControlGroup,
} from './control.js';
export { type Eligibility, EXCLUSION_REASONS, type ExclusionReason, eligibility } from './eligibility.js';
export { STAGE, stageOf } from './stage.js';
export { valueTier, valueTiers } from './tiers.js';
export { maskOf, triggerColumn, triggerMasks, triggerText } from './trigger-masks.js';
