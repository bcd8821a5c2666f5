	.global vectors
	.balign 2048
vectors:
	b	trap_handler
