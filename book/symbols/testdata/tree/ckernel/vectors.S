	.global vectors
	.balign 2048
vectors:
	b	.
local_label:
	ret
