import type { Span } from '../api/types.ts';
import {
  type ConversationMessage,
  conversationOf,
  type MessagePart,
  systemInstructionsOf,
} from './messages.ts';

function Part({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <p className="msg-text">{part.text}</p>;
    case 'reasoning':
      return <p className="msg-reasoning">{part.text}</p>;
    case 'tool_call':
      return (
        <div className="msg-tool">
          <div>
            Tool call <strong>{part.name}</strong>
            {part.id && <span className="mono"> {part.id}</span>}
          </div>
          <pre>{part.arguments}</pre>
        </div>
      );
    case 'tool_result':
      return (
        <div className="msg-tool">
          <div>Tool result{part.id && <span className="mono"> {part.id}</span>}</div>
          <pre>{part.content}</pre>
        </div>
      );
    case 'media':
      return <p className="msg-media">{part.label}</p>;
  }
}

function Message({ message }: { message: ConversationMessage }) {
  return (
    <div className={`msg role-${message.role}`} data-testid="message" data-role={message.role}>
      <div className="msg-role">
        {message.role}
        {message.finishReason && <span className="hint"> · {message.finishReason}</span>}
      </div>
      {message.parts.map((part, index) => (
        // Parts have no identity of their own; their order is fixed for a captured message.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Part key={index} part={part} />
      ))}
    </div>
  );
}

/** The captured prompt and answer of a GenAI span as a conversation; null when none were captured. */
export function ConversationView({ span }: { span: Span }) {
  const system = systemInstructionsOf(span.attributes['gen_ai.system_instructions']);
  const input = conversationOf(span.attributes['gen_ai.input.messages'], 'user');
  const output = conversationOf(span.attributes['gen_ai.output.messages'], 'assistant');
  if (system.length + input.length + output.length === 0) return null;
  return (
    <section className="conversation" aria-label="Conversation">
      <h3>Conversation</h3>
      {[...system, ...input].map((message, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: captured messages are an ordered list
        <Message key={`in-${index}`} message={message} />
      ))}
      {output.length > 0 && <div className="msg-divider">output</div>}
      {output.map((message, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: captured messages are an ordered list
        <Message key={`out-${index}`} message={message} />
      ))}
    </section>
  );
}
