#!/usr/bin/env bash
# ai.test.sh: the AI engine at EL1 on Burrow's C core under icount
# (make ai-qemu): it must load the embedded model, answer the fixed
# scenarios and finish; when qemu-aarch64 (Debian qemu-user) is installed,
# its transcript must equal the linux/arm64 build's bit for bit.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory build/burrow build/ai/aidemo.img build/ai/aidemo.linux
if command -v qemu-aarch64 >/dev/null; then
	build/burrow ai qemu -image build/ai/aidemo.img -user build/ai/aidemo.linux
else
	echo "ai.test.sh: qemu-aarch64 not installed (apt-get install qemu-user): transcript comparison not run"
	build/burrow ai qemu -image build/ai/aidemo.img
fi
