# User space (issue #10): the initramfs that becomes Burrow's root file
# system. It holds /init (kernel/userland/init, a static Go program),
# Debian's busybox-static with a link per applet in /bin, and empty /dev,
# /proc and /tmp. `make run` boots with it, and the console's sh command
# starts /init, which starts busybox's shell.

INITRAMFS := $(BUILD)/initramfs.cpio
USER_ROOT := $(BUILD)/initramfs
USER_SRCS := $(shell find kernel/userland -name '*.go' -not -name '*_test.go')
# The sample applications on the Application framework (app/), in /apps.
USER_APPS := sysmon wordfreq greedy
USER_APP_SRCS := $(shell find app apps kernel/abi/burrow -name '*.go' -not -name '*_test.go')
# The applets the initramfs links to busybox (a subset of busybox --list).
BUSYBOX_APPLETS := sh ash cat cp mv rm ls ln mkdir rmdir touch echo printf \
	wc sort uniq head tail grep egrep sed awk tr cut tee find xargs ps kill \
	sleep true false test [ expr seq env uname free uptime date dmesg df du \
	stat pwd basename dirname yes clear hostname id whoami more less vi \
	hexdump od md5sum sha256sum time timeout which

initramfs: $(INITRAMFS) ## build the root file system: /init (Go), busybox and its applets -> build/initramfs.cpio

$(BUILD)/deps/busybox:
	@scripts/setup.sh busybox

$(INITRAMFS): $(BUILD)/deps/busybox $(USER_SRCS) $(USER_APP_SRCS) mk/user.mk
	@echo "  CPIO    $@"
	@rm -rf $(USER_ROOT) && mkdir -p $(USER_ROOT)/bin $(USER_ROOT)/dev $(USER_ROOT)/proc $(USER_ROOT)/tmp $(USER_ROOT)/etc $(USER_ROOT)/root
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -trimpath -o $(USER_ROOT)/init ./kernel/userland/init
	@cp $(BUILD)/deps/busybox $(USER_ROOT)/bin/busybox
	@mkdir -p $(USER_ROOT)/apps && for a in $(USER_APPS); do \
		GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -trimpath -o $(USER_ROOT)/apps/$$a ./apps/$$a || exit 1; done
	@for a in $(BUSYBOX_APPLETS); do ln -sf busybox "$(USER_ROOT)/bin/$$a"; done
	@printf 'Welcome to Burrow. This is busybox at EL0, on the Linux arm64 ABI.\n' > $(USER_ROOT)/etc/motd
	@printf 'root:x:0:0:root:/root:/bin/sh\n' > $(USER_ROOT)/etc/passwd
	@printf 'root:x:0:\n' > $(USER_ROOT)/etc/group
	@cd $(USER_ROOT) && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(CURDIR)/$@

# make run boots with the initramfs (burrow run picks it up when it exists).
run: $(INITRAMFS)

.PHONY: initramfs

soak-fuzz: kernel ## the EL0 system-call fuzzer for FUZZCALLS calls (default 1,000,000): no panic, no leaked page or goroutine
	@BURROW_QEMU=1 BURROW_SOAK_CALLS=$(or $(FUZZCALLS),1000000) $(GO) test -count=1 -timeout 0 -v \
		-run '^TestQEMUSyscallFuzzSoak$$' ./kernel/proc | grep -E '^(--- |ok|FAIL|\s+qemu_test)|sysfuzz'

# make soak runs the fuzzer's million calls too (mk/kernel.mk, mk/smp.mk).
soak: soak-fuzz

.PHONY: soak-fuzz
