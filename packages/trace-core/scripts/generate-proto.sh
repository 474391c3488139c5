#!/bin/sh
# Regenerates src/gen from proto/ with buf + protoc-gen-es (both local devDependencies; works
# offline). The output is committed.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
export PATH
buf generate
