// The regulation as typed rules. Knows nothing of HTTP, engines or storage.
import { resolve } from 'node:path';
import { WorkingDayCalendar } from './calendar.ts';
import { RuleBook } from './rule-editions.ts';

export * from './amounts.ts';
export * from './annual-plan.ts';
export * from './application.ts';
export * from './calendar.ts';
export * from './category.ts';
export * from './dates.ts';
export * from './errors.ts';
export * from './funding.ts';
export * from './implementation-requirements.ts';
export * from './protected-variables.ts';
export * from './roles.ts';
export * from './rule-editions.ts';
export * from './service-types.ts';
export * from './third-parties.ts';
export * from './third-party-costs.ts';

export const CONFIG_DIR = resolve(import.meta.dirname, '../../config');

export interface Regulation {
  rules: RuleBook;
  calendar: WorkingDayCalendar;
}

/** The rule editions, deadlines and holiday calendar from `config/` (or another directory with the same files). */
export function loadRegulation(configDir = CONFIG_DIR): Regulation {
  return {
    rules: RuleBook.load(resolve(configDir, 'rule-editions.json'), resolve(configDir, 'deadlines.json')),
    calendar: WorkingDayCalendar.fromFile(resolve(configDir, 'holiday-schedules.json')),
  };
}
