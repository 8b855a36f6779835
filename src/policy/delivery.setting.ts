import { z } from 'zod';

/**
 * How long Loket keeps trying to send an answer that fails for a temporary reason (a mail
 * server away, a full mailbox) before it gives up and flags the case for a person.
 */
export const deliveryRetrySchema = z.object({
  keepTryingHours: z.number().int('Vul een heel aantal uren in.').min(1, 'Minstens 1 uur.').max(720, 'Hoogstens 720 uur (30 dagen).'),
});
export type DeliveryRetrySetting = z.infer<typeof deliveryRetrySchema>;

/** Three days: a mail server that is away over a weekend does not cost an answer. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetrySetting = { keepTryingHours: 72 };
