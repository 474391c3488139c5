/** What an empty list says: there is nothing in this range, and how to send a first call. */
export function EmptyState() {
  const origin = window.location.origin;
  return (
    <div className="state empty">
      <h2>No traces in this time range yet</h2>
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

/** What a list narrowed to nothing says: the filters, not the project, are empty. */
export function NoMatchState({ clear }: { clear: () => void }) {
  return (
    <div className="state empty" data-testid="no-match">
      <h2>No traces match these filters</h2>
      <p>
        Nothing in this time range has everything the filters ask for: clear them, or widen the
        range.
      </p>
      <button type="button" onClick={clear}>
        Clear filters
      </button>
    </div>
  );
}
