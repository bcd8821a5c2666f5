# debug.mk: the kernel debugger (debugger/, issue #6).
#
# `make debug` boots the kernel in QEMU with every CPU halted and QEMU's
# gdbstub on a private Unix socket (no TCP port to collide with), then opens
# the debugger's TUI on it. BOARD picks the QEMU board (raspi4b, virt,
# virt-el2). To debug a real Pi 4 behind OpenOCD instead:
#   build/burrow debug --attach localhost:3333

BOARD ?= raspi4b

debug: kernel $(BUILD)/burrow ## boot the kernel halted in QEMU (BOARD=raspi4b) and open the debugger TUI on its gdbstub
	@$(BUILD)/burrow debug -board $(BOARD)

debug-batch: kernel $(BUILD)/burrow ## run debugger commands from SCRIPT (default stdin) against a halted kernel; JSON=1 for JSON Lines
	@$(BUILD)/burrow debug -board $(BOARD) -batch $(or $(SCRIPT),-) $(if $(JSON),-json)

.PHONY: debug debug-batch
