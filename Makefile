# Burrow's one entry point. `make help` lists the targets from their ## notes.
# Subsystems add their own targets in mk/*.mk, which this file includes.

.DEFAULT_GOAL := help
SHELL := /bin/bash
GO ?= go
BUILD := build
export BURROW_ROOT := $(CURDIR)

help: ## list every target with what it does
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_.-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST) | sort -u

setup: ## install the tool chain, QEMU 10 and the BCM2711 device tree (idempotent)
	@scripts/setup.sh

$(BUILD)/burrow: setup FORCE
	@$(GO) build -o $@ ./cmd/burrow

run: kernel initramfs $(BUILD)/burrow ## boot Burrow on QEMU's Pi 4 model, four cores, into busybox's shell on this terminal (exit: kernel console; Ctrl-A X quits)
	@$(BUILD)/burrow run -board raspi4b

test: setup ## run every test tier and print the time each took
	@scripts/test.sh

clean: ## remove build outputs (keeps the downloaded build/deps)
	@find $(BUILD) -mindepth 1 -maxdepth 1 ! -name deps -exec rm -rf {} +

FORCE:
.PHONY: help setup run test clean FORCE

include $(wildcard mk/*.mk)
