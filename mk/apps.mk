# The Application framework (app/) and its sample applications (apps/), part
# of issue #10. The samples go into the initramfs's /apps (mk/user.mk).

apps-test: kernel ## the Application framework's host tests, then TestQEMUApps: the samples at EL0 on raspi4b and under qemu-aarch64
	@$(GO) test -count=1 ./app ./kernel/abi/burrow
	@$(GO) test -count=1 -run 'Admit|MemoryLimit|Prctl|ReadAI|AppListing' ./kernel/proc
	@BURROW_QEMU=1 $(GO) test -count=1 -v -run '^TestQEMUApps$$' ./apps | grep -E '^(---|ok|FAIL)|exit'

.PHONY: apps-test
