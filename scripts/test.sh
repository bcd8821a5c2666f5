#!/usr/bin/env bash
# test.sh runs Burrow's test tiers in order and prints the time each took.
# `make test` calls it after setup; a failing tier stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."

times=()
tier() {
	local name=$1
	shift
	echo "== tier: $name"
	local start=$SECONDS
	"$@"
	times+=("$(printf '%-28s %4ds' "$name" $((SECONDS - start)))")
}

tier "build (kernel, initramfs, sdcard, burrow)" make --no-print-directory kernel initramfs ktest-images sdcard build/burrow
tier "1 host (go test ./...)" go test -count=1 ./...
tier "2 QEMU and images" env BURROW_QEMU=1 go test -count=1 -run '^(TestQEMU|TestImage)' ./...
tier "3 Go packages at EL1" env BURROW_QEMU=1 go test -count=1 -run '^TestInKernel' ./ckernel/boottest
for extra in mk/*.test.sh; do
	[ -e "$extra" ] || continue
	tier "$(basename "$extra" .test.sh)" bash "$extra"
done

echo "== time per tier"
printf '  %s\n' "${times[@]}"
