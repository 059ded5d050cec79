import { useState } from "react";
import type { Conversation } from "../../bindings/Conversation";
import { useDesktopEvent } from "../session/desktopEvents";
import { Composer } from "./Composer";
import { ConversationHeader } from "./ConversationHeader";
import { MessageList } from "./MessageList";
import { useMessages } from "./useMessages";

type Props = { conversationId: number; conversation: Conversation | null };

/** Render with `key={conversationId}` so switching conversations starts fresh. */
export function ConversationView({ conversationId, conversation }: Props) {
  const { messages, loaded, error, apply } = useMessages(conversationId);
  const [policyVersion, setPolicyVersion] = useState<number | undefined>(undefined);
  useDesktopEvent((e) => {
    if (e.type === "filter_policy_changed") setPolicyVersion(e.version);
  });
  return (
    <>
      <ConversationHeader id={conversationId} conversation={conversation} />
      <MessageList messages={messages} loaded={loaded} error={error} />
      <Composer conversationId={conversationId} onSent={apply} policyVersion={policyVersion} />
    </>
  );
}
