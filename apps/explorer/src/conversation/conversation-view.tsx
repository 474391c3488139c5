import type { Span } from '../api/types.ts';
import {
  type GenAiMessage,
  type GenAiPart,
  prettyJson,
  resultText,
  spanMessages,
} from './messages.ts';

function Part({ part }: { part: GenAiPart }) {
  switch (part.type) {
    case 'text':
      return <p className="msg-text">{part.content}</p>;
    case 'reasoning':
      return <p className="msg-reasoning">{part.content}</p>;
    case 'tool_call':
      return (
        <div className="msg-tool">
          <div>
            Tool call <strong>{part.name}</strong>
            {part.id && <span className="mono"> {part.id}</span>}
          </div>
          <pre>{prettyJson(part.arguments)}</pre>
        </div>
      );
    case 'tool_call_response':
      return (
        <div className="msg-tool">
          <div>Tool result{part.id && <span className="mono"> {part.id}</span>}</div>
          <pre>{resultText(part.response)}</pre>
        </div>
      );
    case 'image':
      return <p className="msg-media">[image or file]</p>;
    case 'other':
      return <p className="msg-media">[{part.original}]</p>;
  }
}

/** One message: its role, finish reason and parts. */
export function Message({ message }: { message: GenAiMessage }) {
  return (
    <div className={`msg role-${message.role}`} data-testid="message" data-role={message.role}>
      <div className="msg-role">
        {message.role}
        {message.finish_reason && <span className="hint"> · {message.finish_reason}</span>}
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
  const { system, input, output } = spanMessages(span);
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
