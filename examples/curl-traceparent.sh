#!/usr/bin/env sh
# Two gateway calls in one trace without any SDK: a traceparent made by hand, then chaining with
# the traceparent the gateway returns (it carries the gateway's own span id).
#
#   TO11_API_KEY=to11_... OPENAI_API_KEY=sk-... sh examples/curl-traceparent.sh
#
# Without OPENAI_API_KEY it sends a placeholder key, which only the demo provider answers
# (`pnpm demo`: canned answers, real traces).
#
# TO11_GATEWAY_URL defaults to the local gateway, http://127.0.0.1:4000/v1.
set -eu
: "${TO11_API_KEY:?set TO11_API_KEY (printed by the first start)}"
OPENAI_API_KEY="${OPENAI_API_KEY:-no-provider-key-demo-mode}"
GATEWAY_URL="${TO11_GATEWAY_URL:-http://127.0.0.1:4000/v1}"
MODEL="${OPENAI_MODEL:-gpt-4o-mini}"
HEADERS_FILE="$(mktemp)"
trap 'rm -f "$HEADERS_FILE"' EXIT

# W3C traceparent: 00-<32 hex trace id>-<16 hex parent span id>-01 (sampled).
TRACE_ID="$(openssl rand -hex 16)"
SPAN_ID="$(openssl rand -hex 8)"

call() { # $1 = traceparent, $2 = prompt; prints the answer body, keeps the response headers
  curl -sS --fail-with-body -D "$HEADERS_FILE" "$GATEWAY_URL/chat/completions" \
    -H "x-to11-authorization: Bearer $TO11_API_KEY" \
    -H "Authorization: Bearer $OPENAI_API_KEY" \
    -H "Content-Type: application/json" \
    -H "traceparent: $1" \
    -d "{\"model\": \"$MODEL\", \"messages\": [{\"role\": \"user\", \"content\": \"$2\"}]}"
  echo
}

# First call: the gateway's spans become children of our span id.
call "00-${TRACE_ID}-${SPAN_ID}-01" "Step 1: outline the answer."

# Second call: continue from the traceparent the gateway returned, so this call becomes a
# child of the first call's gateway span.
NEXT="$(grep -i '^traceparent:' "$HEADERS_FILE" | tr -d '\r' | cut -d' ' -f2)"
call "$NEXT" "Step 2: write the answer."

echo "trace: $TRACE_ID"
echo "first call's gateway span: $(echo "$NEXT" | cut -d- -f3)"
