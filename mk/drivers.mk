# drivers.mk: the driver framework and the drivers (drivers/, issue #5).
# Their host tests run in `make test` with everything else, their QEMU
# tests (kernel/drivers_qemu_test.go) in its QEMU tier.

drivers-test: kernel ## the drivers' host tests, then their QEMU tests on raspi4b and virt
	@$(GO) test ./drivers/...
	@BURROW_QEMU=1 $(GO) test -count=1 -v -run 'TestQEMU(Drivers|VirtioBlock|SDCard|Console)' ./kernel | grep -E '^(---|===|ok|FAIL|PASS)|bench'

.PHONY: drivers-test
