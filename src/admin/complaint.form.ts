import type { ComplaintDeadlines } from '../policy/complaint.setting.js';
import { numbersForm } from './numbers.form.js';

/** The complaint procedure's deadlines, one number each. */
export const complaintDeadlinesForm = numbersForm<ComplaintDeadlines>({
  nl: {
    firstContactDays: 'Eerste contact met de klager binnen (werkdagen)',
    resolveDays: 'Klacht opgelost binnen (werkdagen)',
    satisfactionDays: 'Vraag naar tevredenheid binnen (werkdagen na de oplossing)',
    extraDays: 'Extra termijn als de klager niet tevreden is (werkdagen)',
  },
  en: {
    firstContactDays: 'First contact with the complainant within (working days)',
    resolveDays: 'Complaint resolved within (working days)',
    satisfactionDays: 'Ask about satisfaction within (working days after the resolution)',
    extraDays: 'Extra period when the complainant is not satisfied (working days)',
  },
});
