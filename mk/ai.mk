# ai.mk: the AI layer (ai/README.md). Training runs only here, never in
# `make test`; the tests train their own tiny models.

ai-model: ## train the decision model from seed 1 into ai/model (pure Go, about 2 min on 2 cores)
	@$(GO) run ./cmd/burrow ai train -o ai/model

train: ai-model ## same as ai-model

ai-eval: ## score the shipped model on held-out situations against the expert, the rule fallback and the majority class
	@$(GO) run ./cmd/burrow ai eval -d ai/model

ai-bench: ## AI benchmarks: tokens/s against a gcc -O3 C forward pass, decision latency, memory footprint
	@$(GO) test -run '^$$' -bench . -benchtime 5x ./ai/bench/

ai-fuzz: ## fuzz the model loaders (llama2.c, tokenizer.bin, GGUF) for 30 s each
	@cd ai/llama2c && $(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 30s .
	@cd ai/tokenizer && $(GO) test -run '^$$' -fuzz FuzzReadBin -fuzztime 30s .
	@cd ai/gguf && $(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 30s .

.PHONY: ai-model train ai-eval ai-bench ai-fuzz ai-cross

ai-cross: ## answer the fixed scenarios on the host and as linux/arm64 under qemu-aarch64 (Debian qemu-user); tokens must match
	@command -v qemu-aarch64 >/dev/null || { echo "ai-cross needs qemu-aarch64: apt-get install qemu-user"; exit 1; }
	@mkdir -p $(BUILD)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o $(BUILD)/burrow-arm64 ./cmd/burrow
	@$(GO) build -o $(BUILD)/burrow-host ./cmd/burrow
	@for q in "" -int8; do \
		$(BUILD)/burrow-host ai scenarios $$q > $(BUILD)/ai-scenarios-host$$q.txt; \
		qemu-aarch64 $(BUILD)/burrow-arm64 ai scenarios $$q > $(BUILD)/ai-scenarios-arm64$$q.txt; \
		if diff <(sed 's/ logits.*//' $(BUILD)/ai-scenarios-host$$q.txt) <(sed 's/ logits.*//' $(BUILD)/ai-scenarios-arm64$$q.txt); \
		then echo "ai-cross$$q: 16 scenarios, same tokens on host and arm64; logit hashes equal in $$(diff $(BUILD)/ai-scenarios-host$$q.txt $(BUILD)/ai-scenarios-arm64$$q.txt | grep -c '^<' | sed 's/^/16 minus /') (arm64 fuses multiply-adds)"; \
		else echo "ai-cross$$q: tokens differ"; exit 1; fi; \
	done

# The engine as the payload of a Burrow image: ai/cmd/aidemo at EL1 on the
# C core, built the way mk/bench.mk builds ctxbench.
AIQ := $(BUILD)/ai
AIDEMO_SRCS := $(shell find ai -name '*.go' -not -name '*_test.go') ai/model/model.bin ai/model/tokenizer.bin

$(AIQ)/aidemo.burrow: $(AIDEMO_SRCS)
	@mkdir -p $(@D)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build $(GOKERNEL_FLAGS) -o $@ ./ai/cmd/aidemo

$(AIQ)/aidemo.linux: $(AIDEMO_SRCS)
	@mkdir -p $(@D)
	@GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o $@ ./ai/cmd/aidemo

$(AIQ)/aidemo.img: $(AIQ)/aidemo.burrow $(BUILD)/ckernel.elf ckernel/payload.S
	@$(CROSS)objcopy --strip-debug $< $(AIQ)/aidemo.payload.elf
	@$(KCC) $(KCFLAGS) -DPAYLOAD='"$(AIQ)/aidemo.payload.elf"' -c ckernel/payload.S -o $(AIQ)/aidemo.payload.o
	@$(KCC) $(KLDFLAGS) $(KOBJS_CORE) $(AIQ)/aidemo.payload.o $(KOBJ)/ksyms.o -o $(AIQ)/aidemo.elf
	@$(CROSS)objcopy -O binary $(AIQ)/aidemo.elf $@

ai-qemu: $(BUILD)/burrow $(AIQ)/aidemo.img $(AIQ)/aidemo.linux ## the engine at EL1 on the C core under icount: decision latency in instructions, transcript against qemu-aarch64
	@$(BUILD)/burrow ai qemu -image $(AIQ)/aidemo.img -user $(AIQ)/aidemo.linux

.PHONY: ai-qemu
