// The registers saved on an exception.
struct trapframe {
	unsigned long x[31];
	unsigned long esr;
};
