import { z } from 'zod';

const dutch = z.locales.nl().localeError;

/**
 * Plain Dutch for the checks a setting's schema leaves to zod (a missing field, a number
 * out of range); the schemas' own messages win. Zod's Dutch locale for the rest.
 */
export const settingErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'vul dit in' : `minstens ${issue.minimum} tekens`;
      if (issue.origin === 'array') return `minstens ${issue.minimum} nodig`;
      if (issue.origin === 'number') return `minstens ${issue.minimum}`;
      break;
    case 'too_big':
      if (issue.origin === 'string') return `hoogstens ${issue.maximum} tekens`;
      if (issue.origin === 'array') return `hoogstens ${issue.maximum}`;
      if (issue.origin === 'number') return `hoogstens ${issue.maximum}`;
      break;
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int') return 'een heel getal';
      if (issue.expected === 'string') return 'vul een tekst in';
      if (issue.expected === 'boolean') return 'ja of nee (true/false)';
      break;
    case 'invalid_value':
      return `kies een van: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `onbekend veld: ${issue.keys.join(', ')}`;
    default:
      // The rest (formats, unions, custom checks) carry the schema's own message or zod's Dutch.
      break;
  }
  return dutch(issue);
};
