# ai.mk: the AI layer (ai/README.md). Training runs only here, never in
# `make test`; the tests train their own tiny models.

ai-model: ## train the decision model from seed 1 into ai/model (pure Go, about 5-10 min on 2 cores)
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

.PHONY: ai-model train ai-eval ai-bench ai-fuzz
