import { ANSWER_KIND, AnswerRefusedError, type AnswerRequest, type AnswerRoute } from '../../src/channel.js';
import type { Db } from '../../src/db/database.js';
import { transcriptText } from './chat.closing.js';
import { CHAT_ANSWER_KIND, conversationById, conversationHistory } from './conversation.store.js';

/**
 * Where an agent's answer to a chat goes: into the conversation while it is open; by mail,
 * with the conversation below the answer, once it is over and the visitor gave an address;
 * refused otherwise.
 */
export async function addressChatAnswer(db: Db, { last, text, agent }: AnswerRequest): Promise<AnswerRoute> {
  const conversation = last.conversationId ? await conversationById(db, last.conversationId) : undefined;
  if (conversation && conversation.state !== 'closed') {
    return {
      channel: 'chat',
      kind: CHAT_ANSWER_KIND,
      recipient: conversation.visitor,
      subject: '',
      body: text,
      meta: { conversationId: conversation.id, agent },
    };
  }
  const visitor = conversation?.visitor ?? last.sender;
  if (!visitor.email) {
    throw new AnswerRefusedError(
      'Het chatgesprek is gesloten en de bezoeker heeft geen e-mailadres gegeven. Het antwoord kan niet worden verstuurd; neem op een andere manier contact op.',
      'CHAT_CLOSED_NO_EMAIL',
    );
  }
  const history = conversation ? await conversationHistory(db, conversation.id) : [];
  const transcript = history.length > 0 ? `\n\n-----\n${transcriptText('nl', history)}` : '';
  return {
    channel: 'email',
    kind: ANSWER_KIND,
    recipient: visitor,
    subject: 'Antwoord op uw chatgesprek met het contactcenter',
    body: `${text}${transcript}`,
    meta: { agent, answersConversation: last.conversationId },
  };
}
