// Public API of src/targets/: each module's exports are added here by that module's author.
export { type ActionPlan, type ActionSettings, actionColumns, actionPlan, actionsFor } from './actions.js';
export { type RecentContacts, recentContacts } from './contact-policy.js';
export {
  buildTargetLists,
  LIST_COLUMNS,
  type ListSettings,
  segmentColumn,
  type TargetListOptions,
  type TargetLists,
} from './lists.js';
export { sortByRevenueAtRisk } from './order.js';
export {
  factGroups,
  noReasons,
  PHRASES,
  type Phrasing,
  phrasingOf,
  REASONS_PER_SUBSCRIBER,
  reasonsColumn,
  reasonText,
} from './reasons.js';
export { scoresFrame } from './scores.js';
export { NO_OWNER_FOLDER, type OwnerLists, safeFolderNames, splitListsBy } from './split.js';
