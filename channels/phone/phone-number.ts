/** A plausible phone number as an agent or telephony platform writes it. */
export const PHONE_PATTERN = /^\+?[0-9][0-9 ()\-./]{5,30}$/;
