#!/usr/bin/env bash
# book.test.sh is the course book's tier of `make test`: build the real book
# with warnings as errors, then let headless Chromium read it from a local
# server (search, navigation, highlighting, themes, phone and desktop
# screenshots into build/). Chromium is Debian's, installed by setup.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh chromium
go run ./cmd/burrow book build -strict
BURROW_BOOK_BROWSER=1 go test -count=1 -tags browser -run '^TestBrowser' -v ./book/
