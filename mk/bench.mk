# bench.mk: the same benchmark program (cmd/ctxbench) as the payload of a
# Burrow image and as /init under Debian's Linux on QEMU virt, both under
# icount, so `make bench` can report Burrow's figures as ratios to Linux's.
# bench-user does the same for user programs: cmd/userbench as /init at EL0
# in one initramfs booted by both kernels, and the boot to the shell prompt.

bench:: bench-linux bench-user

BENCH := $(BUILD)/bench
CTXBENCH_SRCS := $(wildcard cmd/ctxbench/*.go)

bench-linux: kernel $(BUILD)/burrow $(BENCH)/ctxbench.img $(BENCH)/initramfs.cpio.gz ## ctxbench under Burrow and under Debian's Linux on QEMU virt (icount): ns/op and the ratio
	@$(BUILD)/burrow bench -compare -burrow-image $(BENCH)/ctxbench.img \
		-linux-kernel "$$(ls $(BUILD)/deps/linux/boot/vmlinuz-* | head -1)" -linux-initrd $(BENCH)/initramfs.cpio.gz

$(BENCH)/ctxbench.burrow: $(CTXBENCH_SRCS)
	@mkdir -p $(@D)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(GOKERNEL_FLAGS) -o $@ ./cmd/ctxbench

$(BENCH)/ctxbench.linux: $(CTXBENCH_SRCS)
	@mkdir -p $(@D)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o $@ ./cmd/ctxbench

$(BENCH)/ctxbench.img: $(BENCH)/ctxbench.burrow $(BUILD)/ckernel.elf ckernel/payload.S
	@$(CROSS)objcopy --strip-debug $< $(BENCH)/ctxbench.payload.elf
	@$(KCC) $(KCFLAGS) -DPAYLOAD='"$(BENCH)/ctxbench.payload.elf"' -c ckernel/payload.S -o $(BENCH)/ctxbench.payload.o
	@$(KCC) $(KLDFLAGS) $(KOBJS_CORE) $(BENCH)/ctxbench.payload.o $(KOBJ)/ksyms.o -o $(BENCH)/ctxbench.elf
	@$(CROSS)objcopy -O binary $(BENCH)/ctxbench.elf $@

# The initramfs holds only /init: the benchmark, static.
$(BENCH)/initramfs.cpio.gz: $(BENCH)/ctxbench.linux
	@scripts/setup.sh linux
	@rm -rf $(BENCH)/initramfs && mkdir -p $(BENCH)/initramfs
	@cp $< $(BENCH)/initramfs/init
	@cd $(BENCH)/initramfs && find . | cpio -o -H newc --quiet | gzip -9 > ../initramfs.cpio.gz

# The user benchmark's initramfs, the same for both kernels: /init is
# userbench (static, at EL0), /bin/true is busybox (the exec benchmark's
# small program). The harness adds /etc/nonce and /etc/benchscale per run.
USERBENCH_SRCS := $(wildcard cmd/userbench/*.go)

$(BENCH)/userbench: $(USERBENCH_SRCS)
	@mkdir -p $(@D)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -trimpath -o $@ ./cmd/userbench

$(BENCH)/userbench.cpio: $(BENCH)/userbench $(BUILD)/deps/busybox
	@rm -rf $(BENCH)/userroot && mkdir -p $(BENCH)/userroot/bin $(BENCH)/userroot/etc $(BENCH)/userroot/dev $(BENCH)/userroot/proc $(BENCH)/userroot/tmp
	@cp $< $(BENCH)/userroot/init
	@cp $(BUILD)/deps/busybox $(BENCH)/userroot/bin/busybox
	@ln -s busybox $(BENCH)/userroot/bin/true
	@cd $(BENCH)/userroot && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(CURDIR)/$@

bench-user: kernel initramfs $(BUILD)/burrow $(BENCH)/userbench.cpio ## userbench at EL0 (null syscall, pipe, vfork+exec, page fault) and reset-to-shell-prompt, Burrow vs Debian's Linux on virt (icount)
	@scripts/setup.sh linux
	@$(BUILD)/burrow bench -user -kernel $(BUILD)/kernel8.img -user-initrd $(BENCH)/userbench.cpio -shell-initrd $(INITRAMFS) \
		-linux-kernel "$$(ls $(BUILD)/deps/linux/boot/vmlinuz-* | head -1)"

.PHONY: bench-linux bench-user
