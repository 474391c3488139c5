/** What an empty list says: there is nothing in this range, and how to send a first call. */
export function EmptyState({ filtered }: { filtered: boolean }) {
  const origin = window.location.origin;
  return (
    <div className="state empty">
      <h2>{filtered ? 'No traces match these filters' : 'No traces in this time range yet'}</h2>
      {filtered && <p>Widen the time range or clear a filter.</p>}
      <p>Send a first call through the gateway (default http://127.0.0.1:4000) with your key:</p>
      <pre>
        {`curl http://127.0.0.1:4000/v1/chat/completions \\
  -H "x-to11-authorization: Bearer $TO11_API_KEY" \\
  -H "authorization: Bearer $OPENAI_API_KEY" \\
  -H "content-type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`}
      </pre>
      <p>
        Or point the OpenAI SDK at it: <code>baseURL: "http://127.0.0.1:4000/v1"</code> with the
        header <code>x-to11-authorization</code>. App spans go to OTLP at{' '}
        <code>{origin}/v1/traces</code>. The trace shows up here within a second.
      </p>
    </div>
  );
}
