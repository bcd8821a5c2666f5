// Package llama is Burrow's inference engine for llama-architecture
// transformers: token embedding, then per layer RMSNorm, grouped-query
// attention with rotary position embeddings and a KV cache, RMSNorm and a
// SwiGLU feed-forward block, and finally RMSNorm and the output projection
// (tied to the embedding or separate).
//
// It follows the architecture of Touvron et al., "LLaMA: Open and Efficient
// Foundation Language Models" (2023), in the exact arithmetic form of
// Karpathy's llama2.c (run.c for float32, runq.c for Q8_0 int8 weights), so
// checkpoints exported for llama2.c or converted to GGUF produce the same
// logits here.
//
// The package is pure Go with no I/O, no cgo and no dependence on the
// operating system: it runs on the host under go test, and inside the Burrow
// kernel at EL1 after the Go runtime has started. Loaders live in sibling
// packages (ai/llama2c, ai/gguf) and hand it a *Model.
package llama
