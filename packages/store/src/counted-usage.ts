/**
 * Tokens and cost of traces with each LLM call counted once. Several spans of one trace often
 * describe the same call: a library's wrapper span (`ai.generateText`) above its provider-call
 * span (`ai.generateText.doGenerate`), and that span above the gateway's own GenAI span when
 * the call went through the gateway. Each carries the call's usage. The rule: a span's usage
 * counts only when no span below it (at any depth) carries usage, so the innermost one counts;
 * through the gateway that is the gateway's span, which is the one that saw the provider's
 * answer. Spans that carry usage side by side (two calls of one agent) all count.
 *
 * The rule is applied at write time (migration 0004): the spans trigger keeps `usage_spans`, one
 * row per span carrying usage with its `counted` flag, and the counted totals of each trace in
 * its summary (`trace_summaries.call_count`, `input_tokens`, `output_tokens`, `cost`). Every
 * statement that stores spans recounts the traces it touched from all their stored spans, so a
 * span that arrives late or out of order (a child after its parent, the span linking two
 * carriers last) still gives the answer the whole trace gives. Readers only select.
 *
 * The gateway's own span first (migration 0005): when the span linking a gateway span to the
 * caller's span was never exported (a library's processor filtered it out), the gateway span's
 * chain of parents breaks. Such a stray gateway span counts as below every non-gateway usage span
 * of its trace that contains it in time, so the call still counts once, through the gateway's
 * span. `@to11/trace-core/counted-usage` applies the same rule for clients.
 */

/**
 * The counted LLM calls of project `$1` whose span starts in the range clauses `range` (over
 * `u.start_ns`): a select of trace_id, span_id, start_ns, end_ns, status_code, model, provider,
 * input_tokens, output_tokens, cost, ttft_ms, through the partial index on counted calls.
 */
export function countedCallsSql(range: string): string {
  return `select u.trace_id, u.span_id, u.start_ns, u.end_ns, u.status_code, u.model, u.provider,
      u.input_tokens, u.output_tokens, u.cost, u.ttft_ms
    from usage_spans u
   where u.project_id = $1 and u.counted ${range}`;
}
