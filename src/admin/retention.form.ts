import type { RetentionPeriods } from '../policy/retention.setting.js';
import { numbersForm } from './numbers.form.js';

/** How long closed cases keep their personal data, one number of months per kind. */
export const retentionPeriodsForm = numbersForm<RetentionPeriods>({
  nl: {
    questionMonths: 'Vragen per mail en formulier (maanden na sluiten)',
    complaintMonths: 'Klachten (maanden na sluiten)',
    chatMonths: 'Chats (maanden na sluiten)',
    callMonths: 'Telefoongesprekken (maanden na sluiten)',
    letterMonths: 'Brieven (maanden na sluiten)',
  },
  en: {
    questionMonths: 'Questions by mail and web form (months after closing)',
    complaintMonths: 'Complaints (months after closing)',
    chatMonths: 'Chats (months after closing)',
    callMonths: 'Phone calls (months after closing)',
    letterMonths: 'Letters (months after closing)',
  },
});
