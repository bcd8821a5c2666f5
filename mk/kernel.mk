# kernel.mk: building the C core into build/ (make kernel).
#
# Two links: the first, with an empty symbol table, gives the addresses that
# scripts/ksyms.sh turns into the built-in table for backtraces; the second
# links that table in. The table sits after .data, so the text symbols of
# both links must agree, and the build checks that they do.

CROSS ?= aarch64-linux-gnu-
KCC := $(CROSS)gcc
KOBJ := $(BUILD)/ckernel
KCFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-mgeneral-regs-only -mstrict-align -mcmodel=small -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-fno-delete-null-pointer-checks -mno-outline-atomics \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,max-page-size=4096 -T ckernel/kernel.ld

KSRCS := $(wildcard ckernel/*.c ckernel/*.S)
# Everything the Go kernel links from this tree: the kernel, the drivers and
# the AI layer (with its embedded model), so a change to any rebuilds it.
GOKERNEL_SRCS := $(shell find kernel drivers ai -name '*.go' -not -name '*_test.go') \
	$(shell find ai/model -type f -not -name '*.go')
# The Go kernel: a static linux/arm64 ELF linked at 2^47 (VA 0x800000010000
# is its first segment). build/burrow.elf keeps DWARF for the debugger; the
# image embeds a copy without it.
GOKERNEL_FLAGS := -ldflags='-T 0x800000011000'

KOBJS := $(patsubst ckernel/%,$(KOBJ)/%.o,$(KSRCS))
DTB := $(BUILD)/deps/bcm2711-rpi-4-b.dtb

kernel: $(BUILD)/kernel8.img $(BUILD)/ckernel.asm $(BUILD)/bcm2711-rpi-4-b.dtb ## build the kernel image, its ELF, map and disassembly into build/

$(DTB):
	@scripts/setup.sh

$(KOBJ)/%.c.o: ckernel/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(BUILD)/burrow.elf: $(GOKERNEL_SRCS) go.mod go.sum
	@echo "  GO      kernel -> $@"
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(GOKERNEL_FLAGS) -o $@ ./kernel

$(BUILD)/burrow.payload.elf: $(BUILD)/burrow.elf
	@$(CROSS)objcopy --strip-debug $< $@

$(KOBJ)/payload.S.o: ckernel/payload.S $(BUILD)/burrow.payload.elf
	@mkdir -p $(@D)
	@echo "  AS      $< (Go kernel payload)"
	@$(KCC) $(KCFLAGS) -DPAYLOAD='"$(BUILD)/burrow.payload.elf"' -c $< -o $@

$(KOBJ)/%.S.o: ckernel/%.S
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(KOBJ)/ksyms0.o: scripts/ksyms.sh
	@mkdir -p $(@D)
	scripts/ksyms.sh > $(KOBJ)/ksyms0.S
	$(KCC) -c $(KOBJ)/ksyms0.S -o $@

$(KOBJ)/pass1.elf: $(KOBJS) $(KOBJ)/ksyms0.o ckernel/kernel.ld
	$(KCC) $(KLDFLAGS) $(KOBJS) $(KOBJ)/ksyms0.o -o $@

$(BUILD)/ckernel.elf: $(KOBJ)/pass1.elf
	scripts/ksyms.sh $< > $(KOBJ)/ksyms.S
	$(KCC) -c $(KOBJ)/ksyms.S -o $(KOBJ)/ksyms.o
	$(KCC) $(KLDFLAGS) -Wl,-Map=$(BUILD)/kernel8.map $(KOBJS) $(KOBJ)/ksyms.o -o $@
	@$(CROSS)nm -n $< | grep ' [tT] ' > $(KOBJ)/pass1.syms
	@$(CROSS)nm -n $@ | grep ' [tT] ' > $(KOBJ)/final.syms
	@cmp -s $(KOBJ)/pass1.syms $(KOBJ)/final.syms || \
		{ echo "kernel.mk: text moved between links; the symbol table would lie" >&2; exit 1; }

$(BUILD)/kernel8.img: $(BUILD)/ckernel.elf
	$(CROSS)objcopy -O binary $< $@

$(BUILD)/ckernel.asm: $(BUILD)/ckernel.elf
	$(CROSS)objdump -d -S $< > $@

$(BUILD)/bcm2711-rpi-4-b.dtb: $(DTB)
	cp $< $@

# In-kernel Go package tests: each package's `go test -c` binary becomes
# the payload of its own image, linked from the same C objects (and the
# same symbol table, whose text the payload does not move).
KTEST_PKGS := kernel/ktest/gotest kernel/selftest kernel/mm kernel/fdt \
	drivers/gic drivers/gpio drivers/mbox drivers/pl011 drivers/reg drivers/rng200 \
	drivers/sdhci drivers/systimer drivers/virtio
# An image is named after its package path with / as - (build/ktest/kernel-mm.img).
KTEST_IMGS := $(foreach p,$(KTEST_PKGS),$(BUILD)/ktest/$(subst /,-,$(p)).img)
KOBJS_CORE := $(filter-out $(KOBJ)/payload.S.o,$(KOBJS))

ktest-images: $(KTEST_IMGS) ## build one kernel image per in-kernel Go test package into build/ktest/

$(BUILD)/ktest/%.test: $(shell find kernel drivers ai -name '*.go') go.mod go.sum
	@mkdir -p $(@D)
	@echo "  GO TEST $(subst -,/,$*) -> $@"
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) test -c $(GOKERNEL_FLAGS) -o $@ ./$(subst -,/,$*)

$(BUILD)/ktest/%.payload.o: $(BUILD)/ktest/%.test ckernel/payload.S
	@$(CROSS)objcopy --strip-debug $< $(BUILD)/ktest/$*.payload.elf
	@$(KCC) $(KCFLAGS) -DPAYLOAD='"$(BUILD)/ktest/$*.payload.elf"' -c ckernel/payload.S -o $@

$(BUILD)/ktest/%.img: $(BUILD)/ktest/%.payload.o $(BUILD)/ckernel.elf
	@$(KCC) $(KLDFLAGS) $(KOBJS_CORE) $< $(KOBJ)/ksyms.o -o $(BUILD)/ktest/$*.elf
	@$(CROSS)objcopy -O binary $(BUILD)/ktest/$*.elf $@

.PRECIOUS: $(BUILD)/ktest/%.test $(BUILD)/ktest/%.payload.o
.PHONY: ktest-images

-include $(KOBJS:.o=.d)
.PHONY: kernel

bench:: bench-core

bench-core: kernel $(BUILD)/burrow ## the hybrid core's crossings in instructions/op under icount, raspi4b and virt
	@$(BUILD)/burrow bench

soak: kernel $(BUILD)/burrow ## every stress test, longer: the SMP tests in a loop, a million fuzzer calls, then the runtime under load for SOAK (600s) of virtual time
	@$(BUILD)/burrow run -board virt -icount -semihosting -append "semihosting=1 test=runtime load=$(or $(SOAK),600s)"

.PHONY: bench-core soak
