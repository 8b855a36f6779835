import { z } from 'zod';

/**
 * What a complainant tells about the contact the complaint is about (seed 000): the
 * registration number of the earlier question, the date of the last contact or reminder, and
 * the name of the employee they dealt with. The form asks for it; an agent records it for a
 * complaint made by mail or phone. Kept on the message (meta.complaint) and on the complaint.
 */
export const complaintDetailsSchema = z.object({
  earlierReference: z.string().max(40).optional(),
  lastContactOn: z.iso.date().optional(),
  employeeName: z.string().max(200).optional(),
});
export type ComplaintDetails = z.infer<typeof complaintDetailsSchema>;
