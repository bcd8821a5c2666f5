#!/usr/bin/env bash
# The memory manager's concurrency tier: the buddy allocator, the lock-free
# pools and the address spaces under concurrent goroutines, with the race
# detector (issue #4). About 20 s on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 ./kernel/mm ./kernel/fdt
