import type { RetentionPeriods } from '../policy/retention.setting.js';
import { numbersForm } from './numbers.form.js';

/** How long closed cases keep their personal data, one number of months per kind. */
export const retentionPeriodsForm = numbersForm<RetentionPeriods>({
  questionMonths: 'Vragen per mail en formulier (maanden na sluiten)',
  complaintMonths: 'Klachten (maanden na sluiten)',
  chatMonths: 'Chats (maanden na sluiten)',
  callMonths: 'Telefoongesprekken (maanden na sluiten)',
  letterMonths: 'Brieven (maanden na sluiten)',
});
