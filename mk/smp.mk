# smp.mk: the C core on four cores (issue #11). The tests themselves are in
# ckernel/smptest; mk/smp.test.sh is their make test tier.

smp-test: kernel initramfs ## the SMP tier alone: lock torture, TLB shootdown, parallel busy, runtime on 4 cores
	@bash mk/smp.test.sh

soak-smp: kernel ## the SMP stress tests in a loop for SOAK (default 600s): runs and faults
	@env BURROW_QEMU=1 BURROW_SMP_TIER=1 BURROW_SMP_SOAK=$(or $(SOAK),600s) \
		go test -count=1 -p 1 -v -timeout 0 -run '^TestQEMUSMPSoak$$' ./ckernel/smptest | grep -E '^(--- |ok|FAIL)|soak'

# make soak runs the SMP soak too, before the single-core one (mk/kernel.mk).
soak: soak-smp

.PHONY: smp-test soak-smp
