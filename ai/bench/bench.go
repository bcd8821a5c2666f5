// Package bench measures Burrow's AI engine on the host: token throughput
// of ai/llama against a plain C implementation of the same forward pass
// (testdata/forward.c, built with gcc -O3 in the same run), decision
// latency of the shipped model, and the engine's memory footprint. It
// holds only tests and benchmarks; run them with `make ai-bench`.
package bench
