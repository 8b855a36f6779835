import { z } from 'zod';

/** How the agents' chat console works: how many conversations one agent holds at once. */
export const chatConsoleSchema = z.object({
  maxPerAgent: z.number().int('Vul een heel aantal gesprekken in.').min(1, 'Minstens 1 gesprek.').max(10, 'Hoogstens 10 gesprekken.'),
});
export type ChatConsoleSetting = z.infer<typeof chatConsoleSchema>;

/**
 * Three at once: chat visitors wait for each line, and contact centers find that more than
 * three parallel chats make every one of them slow.
 */
export const DEFAULT_CHAT_CONSOLE: ChatConsoleSetting = { maxPerAgent: 3 };
