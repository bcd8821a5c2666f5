	.global _start
_start:
	# ANCHOR: park
	mrs	x0, mpidr_el1
	and	x0, x0, #3
	cbnz	x0, park
	# ANCHOR_END: park
	b	main
