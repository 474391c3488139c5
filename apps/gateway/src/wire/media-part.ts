/**
 * Image (and other media) references as semconv message parts: a `data:` URL becomes a `blob`
 * part with its base64 content, any other URL a `uri` part.
 */
import type { MessagePart } from './types.ts';

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s;

/** A part for a media URL (`data:` or remote). */
export function mediaPart(url: string, modality: string): MessagePart {
  const match = DATA_URL.exec(url);
  if (match) {
    const part: MessagePart = { type: 'blob', modality, content: match[2] ?? '' };
    if (match[1]) part.mime_type = match[1];
    return part;
  }
  return { type: 'uri', modality, uri: url };
}
