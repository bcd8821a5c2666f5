# Targets of the device-tree parser (kernel/fdt) and the memory manager
# (kernel/mm). Their host tests run in `make test` with everything else;
# mm.test.sh adds a -race tier for the lock-free pools and the allocators.

# bench is double-colon so that each subsystem's mk file can add its own
# benchmarks to it: write `bench:: bench-<yours>`.
bench:: bench-mm ## run every benchmark

bench-mm: ## host benchmarks of the page allocator, page tables, pools and DTB parser (ns/op)
	@$(GO) test -run '^$$' -bench . -benchtime 200ms ./kernel/mm ./kernel/fdt

fuzz-fdt: ## fuzz the device-tree parser from the QEMU DTB corpus (FUZZTIME=60s)
	@# Minimizing a new input found from the 75 KB raspi4b seed takes long; a
	@# short -fuzzminimizetime keeps the fuzzer executing instead.
	@$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime $(or $(FUZZTIME),60s) -fuzzminimizetime 1s ./kernel/fdt

fuzz-mm: ## fuzz the page-table code with random map/unmap/protect calls (FUZZTIME=60s)
	@$(GO) test -run '^$$' -fuzz FuzzAddressSpace -fuzztime $(or $(FUZZTIME),60s) -fuzzminimizetime 5s ./kernel/mm

.PHONY: bench bench-mm fuzz-fdt fuzz-mm
