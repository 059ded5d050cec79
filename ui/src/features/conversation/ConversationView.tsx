import type { Conversation } from "../../bindings/Conversation";
import { Composer } from "./Composer";
import { ConversationHeader } from "./ConversationHeader";
import { MessageList } from "./MessageList";
import { useMessages } from "./useMessages";

type Props = { conversationId: number; conversation: Conversation | null };

/** Render with `key={conversationId}` so switching conversations starts fresh. */
export function ConversationView({ conversationId, conversation }: Props) {
  const { messages, loaded, error, apply } = useMessages(conversationId);
  return (
    <>
      <ConversationHeader id={conversationId} conversation={conversation} />
      <MessageList messages={messages} loaded={loaded} error={error} />
      <Composer conversationId={conversationId} onSent={apply} />
    </>
  );
}
