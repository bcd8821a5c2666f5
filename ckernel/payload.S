// payload.S: the Go kernel's ELF, embedded in the C core's image. The build
// passes its path as PAYLOAD; the section sits after .data (kernel.ld).
	.section .payload, "a"
	.balign 4096
	.globl	_payload_start, _payload_end
_payload_start:
	.incbin	PAYLOAD
_payload_end:
