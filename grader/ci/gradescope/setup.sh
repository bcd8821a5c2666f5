#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image. The
# autograder zip is the instructor's Burrow tree, with this file and
# run_autograder at its top and hidden tests (if any) in hidden/.
set -euo pipefail
cd /autograder/source
apt-get update -qq
apt-get install -y -qq git make ca-certificates curl
if ! command -v go >/dev/null; then
	curl -fsSL https://go.dev/dl/go1.26.0.linux-amd64.tar.gz | tar -C /usr/local -xz
	ln -sf /usr/local/go/bin/go /usr/local/bin/go
fi
make setup                                  # cross compiler, QEMU 10, the BCM2711 DTB
go build -o /usr/local/bin/burrow ./cmd/burrow
