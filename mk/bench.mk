# bench.mk: the same benchmark program (cmd/ctxbench) as the payload of a
# Burrow image and as /init under Debian's Linux on QEMU virt, both under
# icount, so `make bench` can report Burrow's figures as ratios to Linux's.

bench:: bench-linux

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

.PHONY: bench-linux
