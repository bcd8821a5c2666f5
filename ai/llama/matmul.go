package llama

// dot returns the float32 dot product of a and b (len(b) >= len(a)).
//
// It keeps four independent partial sums, so the four multiply-add chains
// overlap in the CPU pipeline, and adds them in a fixed order at the end:
// the result is the same on every run, and on every GOARCH up to the fused
// multiply-adds that the arm64 compiler emits.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// matVecF32 computes out = W·x for a row-major rows×len(x) float32 W.
func matVecF32(out, w, x []float32) {
	n := len(x)
	if useAsmF32 {
		for i := range out {
			out[i] = dotF32Asm(w[i*n:(i+1)*n], x)
		}
		return
	}
	for i := range out {
		out[i] = dot(w[i*n:(i+1)*n], x)
	}
}

// dotQ8 returns the exact integer dot product of two int8 groups.
func dotQ8(a, b []int8) int32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += int32(a[i]) * int32(b[i])
		s1 += int32(a[i+1]) * int32(b[i+1])
		s2 += int32(a[i+2]) * int32(b[i+2])
		s3 += int32(a[i+3]) * int32(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += int32(a[i]) * int32(b[i])
	}
	return s0 + s1 + s2 + s3
}

// matVecQ8 computes out = W·x for a Q8_0 matrix W and a Q8_0 vector x with
// the same group size. Each group's integer dot product is exact; the float
// part is float32(sum) * wScale * xScale accumulated over groups in order,
// exactly as runq.c's matmul, so every implementation is bit-exact.
func matVecQ8(out []float32, m *Matrix, x *QVec) {
	n, gs := m.Cols, m.Group
	ng := n / gs
	xq, xs := x.Q[:n], x.Scale[:ng]
	for i := range out {
		wq := m.Q[i*n : (i+1)*n]
		ws := m.Scale[i*ng : (i+1)*ng]
		// The float32 conversion around each term forbids the compiler to
		// fuse the multiply and add (Go spec, "Arithmetic operators"), so
		// the result is the same on arm64, which fuses, as on amd64.
		var val float32
		switch {
		case gs == 32 && useAsmQ8:
			val = rowQ8x32Asm(wq, xq, ws, xs)
		case gs == 32:
			for g := range ws {
				ival := dot32(wq[g*32:], xq[g*32:])
				val += float32(float32(ival) * ws[g] * xs[g])
			}
		default:
			for g := range ws {
				ival := dotQ8(wq[g*gs:(g+1)*gs], xq[g*gs:(g+1)*gs])
				val += float32(float32(ival) * ws[g] * xs[g])
			}
		}
		out[i] = val
	}
}

// dot32 is dotQ8 for the common group size of 32 (GGUF's Q8_0), unrolled
// so the compiler checks bounds once per group.
func dot32(a, b []int8) int32 {
	x, y := (*[32]int8)(a[:32]), (*[32]int8)(b[:32])
	var s0, s1, s2, s3 int32
	for k := 0; k < 32; k += 4 {
		s0 += int32(x[k]) * int32(y[k])
		s1 += int32(x[k+1]) * int32(y[k+1])
		s2 += int32(x[k+2]) * int32(y[k+2])
		s3 += int32(x[k+3]) * int32(y[k+3])
	}
	return s0 + s1 + s2 + s3
}
