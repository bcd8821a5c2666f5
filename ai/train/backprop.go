package train

import (
	"math"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
)

// The training forward pass computes the same function as llama.State's
// Forward, for a whole sequence at once, and keeps every intermediate
// value that the backward pass needs. All matrices of activations are
// T×width, row-major.

// layerAct holds one block's activations for a sequence.
type layerAct struct {
	xin, a, q, k, v, o, x2, b []float32 // T×Dim (k, v: T×KVDim)
	r1, r2                    []float32 // T: the RMSNorm scale 1/rms
	p                         []float32 // Heads×T×T attention probabilities
	g, u, m                   []float32 // T×HiddenDim: gate, up, silu(gate)·up
	keepO, keepM              []float32 // dropout masks of o and m: 0 or 1/(1-rate)
}

// work is one worker's scratch for forward and backward of one sequence
// of up to SeqLen tokens.
type work struct {
	c        llama.Config
	L        []layerAct
	xf, f    []float32 // final residual and its normalized form
	rf       []float32
	cos, sin []float32 // SeqLen × HeadSize/2 rotary tables
	logits   []float32
	// gradients of activations
	dx, dx2, da, db, do, dq, dk, dv, df []float32
	dg, du, dm                          []float32
	dp                                  []float32
}

func newWork(c llama.Config) *work {
	T, D, KV, H := c.SeqLen, c.Dim, c.KVDim(), c.HiddenDim
	w := &work{c: c}
	f := func(n int) []float32 { return make([]float32, n) }
	for l := 0; l < c.Layers; l++ {
		w.L = append(w.L, layerAct{
			xin: f(T * D), a: f(T * D), q: f(T * D), k: f(T * KV), v: f(T * KV), o: f(T * D), x2: f(T * D), b: f(T * D),
			r1: f(T), r2: f(T), p: f(c.Heads * T * T), g: f(T * H), u: f(T * H), m: f(T * H),
			keepO: f(T * D), keepM: f(T * H),
		})
	}
	w.xf, w.f, w.rf, w.logits = f(T*D), f(T*D), f(T), f(c.Vocab)
	w.dx, w.dx2, w.da, w.db, w.do, w.dq, w.df = f(T*D), f(T*D), f(T*D), f(T*D), f(T*D), f(T*D), f(T*D)
	w.dk, w.dv = f(T*KV), f(T*KV)
	w.dg, w.du, w.dm = f(T*H), f(T*H), f(T*H)
	w.dp = f(T)
	hs := c.HeadSize()
	w.cos, w.sin = f(T*hs/2), f(T*hs/2)
	theta := float64(c.RopeThetaOrDefault())
	for t := 0; t < T; t++ {
		for i := 0; i < hs; i += 2 {
			// The same float32 steps as llama.RoPE.
			freq := 1 / float32(math.Pow(theta, float64(float32(i)/float32(hs))))
			val := float32(t) * freq
			w.cos[t*hs/2+i/2] = float32(math.Cos(float64(val)))
			w.sin[t*hs/2+i/2] = float32(math.Sin(float64(val)))
		}
	}
	return w
}

// dot keeps four partial sums so the multiply-add chains overlap, and
// adds them in a fixed order.
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

func axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// matmul sets Y = X·Wᵀ for X T×in and W out×in.
func matmul(Y, X, W []float32, T, in, out int) {
	for t := 0; t < T; t++ {
		x := X[t*in : (t+1)*in]
		for o := 0; o < out; o++ {
			Y[t*out+o] = dot(W[o*in:(o+1)*in], x)
		}
	}
}

// matmulBack adds dY·W to dX (when dX is not nil) and dYᵀ·X to dW.
func matmulBack(dX, dW, dY, X, W []float32, T, in, out int) {
	for t := 0; t < T; t++ {
		x := X[t*in : (t+1)*in]
		for o := 0; o < out; o++ {
			g := dY[t*out+o]
			if g == 0 {
				continue
			}
			if dX != nil {
				axpy(g, W[o*in:(o+1)*in], dX[t*in:(t+1)*in])
			}
			axpy(g, x, dW[o*in:(o+1)*in])
		}
	}
}

// rmsnorm sets y = w·x·r per row and stores r = 1/sqrt(mean(x²)+eps),
// with llama.RMSNorm's float32 steps.
func rmsnorm(y, r, x, w []float32, T, D int, eps float32) {
	for t := 0; t < T; t++ {
		xs := x[t*D : (t+1)*D]
		var ss float32
		for _, v := range xs {
			ss += v * v
		}
		ss = ss/float32(D) + eps
		rt := 1 / float32(math.Sqrt(float64(ss)))
		r[t] = rt
		for i, v := range xs {
			y[t*D+i] = w[i] * (rt * v)
		}
	}
}

// rmsnormBack adds the gradient with respect to x to dx and to w to dw,
// given dy: dx = r·w⊙dy − r³/D · x · Σ w⊙dy⊙x.
func rmsnormBack(dx, dw, dy, x, w, r []float32, T, D int) {
	for t := 0; t < T; t++ {
		xs, dys := x[t*D:(t+1)*D], dy[t*D:(t+1)*D]
		rt := r[t]
		var s float32
		for i, v := range xs {
			s += w[i] * dys[i] * v
			dw[i] += dys[i] * v * rt
		}
		k := rt * rt * rt / float32(D) * s
		for i, v := range xs {
			dx[t*D+i] += rt*w[i]*dys[i] - k*v
		}
	}
}

// rope rotates each row t of v (width n, heads of hs) by position t;
// inverse rotates by −t, which is the backward pass of a rotation.
func (w *work) rope(v []float32, T, n int, inverse bool) {
	hs := w.c.HeadSize()
	for t := 0; t < T; t++ {
		row := v[t*n : (t+1)*n]
		for i := 0; i < n; i += 2 {
			j := t*hs/2 + (i%hs)/2
			c, s := w.cos[j], w.sin[j]
			if inverse {
				s = -s
			}
			v0, v1 := row[i], row[i+1]
			row[i] = v0*c - v1*s
			row[i+1] = v0*s + v1*c
		}
	}
}

// dropout fills keep with inverted-dropout factors: 0 with probability
// rate, else 1/(1-rate) (Srivastava et al. 2014). A nil r or zero rate
// keeps everything.
func dropout(keep []float32, rate float64, r *policy.Rand) {
	for i := range keep {
		keep[i] = 1
		if r != nil && rate > 0 {
			if r.Float64() < rate {
				keep[i] = 0
			} else {
				keep[i] = float32(1 / (1 - rate))
			}
		}
	}
}

// lossAndGrad runs one example forward and backward, adds the parameter
// gradient (scaled by scale) to g, and returns the summed cross-entropy
// of the answer tokens. With r set, dropout at rate applies to the
// attention output and the feed-forward hidden layer of every block.
func (w *work) lossAndGrad(p, g *params, ex Example, scale float32, rate float64, r *policy.Rand) float64 {
	c := w.c
	T, D, KV, H, hs := len(ex.Tokens)-1, c.Dim, c.KVDim(), c.HiddenDim, c.HeadSize()
	NH, kvMul := c.Heads, c.Heads/c.KVHeads
	eps := c.NormEpsOrDefault()
	isc := 1 / float32(math.Sqrt(float64(hs)))

	// Forward. x is the residual stream, starting at the embeddings.
	x := w.dx // borrowed as the running residual during the forward pass
	for t := 0; t < T; t++ {
		copy(x[t*D:(t+1)*D], p.emb[ex.Tokens[t]*D:(ex.Tokens[t]+1)*D])
	}
	for l := range w.L {
		A, P := &w.L[l], &p.layers[l]
		copy(A.xin[:T*D], x[:T*D])
		rmsnorm(A.a, A.r1, A.xin, P.an, T, D, eps)
		matmul(A.q, A.a, P.wq, T, D, D)
		matmul(A.k, A.a, P.wk, T, D, KV)
		matmul(A.v, A.a, P.wv, T, D, KV)
		w.rope(A.q, T, D, false)
		w.rope(A.k, T, KV, false)
		for t := 0; t < T; t++ {
			for h := 0; h < NH; h++ {
				kh := (h / kvMul) * hs
				q := A.q[t*D+h*hs : t*D+(h+1)*hs]
				pr := A.p[(h*T+t)*T : (h*T+t)*T+t+1]
				for u := 0; u <= t; u++ {
					pr[u] = dot(q, A.k[u*KV+kh:u*KV+kh+hs]) * isc
				}
				llama.Softmax(pr)
				o := A.o[t*D+h*hs : t*D+(h+1)*hs]
				clear(o)
				for u := 0; u <= t; u++ {
					axpy(pr[u], A.v[u*KV+kh:u*KV+kh+hs], o)
				}
			}
		}
		dropout(A.keepO[:T*D], rate, r)
		for i := 0; i < T*D; i++ {
			A.o[i] *= A.keepO[i]
		}
		matmul(A.x2, A.o, P.wo, T, D, D)
		for i := 0; i < T*D; i++ {
			A.x2[i] += A.xin[i]
		}
		rmsnorm(A.b, A.r2, A.x2, P.fn, T, D, eps)
		matmul(A.g, A.b, P.w1, T, D, H)
		matmul(A.u, A.b, P.w3, T, D, H)
		for i := 0; i < T*H; i++ {
			gi := A.g[i]
			A.m[i] = gi / (1 + float32(math.Exp(float64(-gi)))) * A.u[i]
		}
		dropout(A.keepM[:T*H], rate, r)
		for i := 0; i < T*H; i++ {
			A.m[i] *= A.keepM[i]
		}
		matmul(x, A.m, P.w2, T, H, D)
		for i := 0; i < T*D; i++ {
			x[i] += A.x2[i]
		}
	}
	copy(w.xf[:T*D], x[:T*D])
	rmsnorm(w.f, w.rf, w.xf, p.fnorm, T, D, eps)

	// Loss on the answer tokens: position t predicts token t+1.
	clear(w.df[:T*D])
	var loss float64
	for t := ex.Answer - 1; t < T; t++ {
		y := ex.Tokens[t+1]
		ft := w.f[t*D : (t+1)*D]
		for v := range w.logits {
			w.logits[v] = dot(p.emb[v*D:(v+1)*D], ft)
		}
		llama.Softmax(w.logits)
		if t == ex.Answer-1 && ex.Soft != nil {
			for _, tg := range ex.Soft {
				loss -= float64(tg.P) * math.Log(math.Max(float64(w.logits[tg.Token]), 1e-30))
				w.logits[tg.Token] -= tg.P
			}
		} else {
			loss -= math.Log(math.Max(float64(w.logits[y]), 1e-30))
			w.logits[y] -= 1
		}
		for v, pv := range w.logits {
			gv := pv * scale
			axpy(gv, ft, g.emb[v*D:(v+1)*D])
			axpy(gv, p.emb[v*D:(v+1)*D], w.df[t*D:(t+1)*D])
		}
	}

	// Backward, mirroring the forward pass.
	dx := w.dx
	clear(dx[:T*D])
	rmsnormBack(dx, g.fnorm, w.df, w.xf, p.fnorm, w.rf, T, D)
	for l := len(w.L) - 1; l >= 0; l-- {
		A, P, G := &w.L[l], &p.layers[l], &g.layers[l]
		// x_out = x2 + W2·m
		clear(w.dm[:T*H])
		matmulBack(w.dm, G.w2, dx, A.m, P.w2, T, H, D)
		for i := 0; i < T*H; i++ {
			w.dm[i] *= A.keepM[i]
			gi := A.g[i]
			sig := 1 / (1 + float32(math.Exp(float64(-gi))))
			silu := gi * sig
			w.du[i] = w.dm[i] * silu
			w.dg[i] = w.dm[i] * A.u[i] * sig * (1 + gi*(1-sig))
		}
		clear(w.db[:T*D])
		matmulBack(w.db, G.w1, w.dg, A.b, P.w1, T, D, H)
		matmulBack(w.db, G.w3, w.du, A.b, P.w3, T, D, H)
		copy(w.dx2[:T*D], dx[:T*D])
		rmsnormBack(w.dx2, G.fn, w.db, A.x2, P.fn, A.r2, T, D)
		// x2 = xin + Wo·o
		clear(w.do[:T*D])
		matmulBack(w.do, G.wo, w.dx2, A.o, P.wo, T, D, D)
		for i := 0; i < T*D; i++ {
			w.do[i] *= A.keepO[i]
		}
		// Attention.
		clear(w.dq[:T*D])
		clear(w.dk[:T*KV])
		clear(w.dv[:T*KV])
		for t := 0; t < T; t++ {
			for h := 0; h < NH; h++ {
				kh := (h / kvMul) * hs
				pr := A.p[(h*T+t)*T : (h*T+t)*T+t+1]
				do := w.do[t*D+h*hs : t*D+(h+1)*hs]
				dp := w.dp[:t+1]
				var sum float32
				for u := 0; u <= t; u++ {
					dp[u] = dot(do, A.v[u*KV+kh:u*KV+kh+hs])
					axpy(pr[u], do, w.dv[u*KV+kh:u*KV+kh+hs])
					sum += pr[u] * dp[u]
				}
				q := A.q[t*D+h*hs : t*D+(h+1)*hs]
				dq := w.dq[t*D+h*hs : t*D+(h+1)*hs]
				for u := 0; u <= t; u++ {
					ds := pr[u] * (dp[u] - sum) * isc
					axpy(ds, A.k[u*KV+kh:u*KV+kh+hs], dq)
					axpy(ds, q, w.dk[u*KV+kh:u*KV+kh+hs])
				}
			}
		}
		w.rope(w.dq, T, D, true)
		w.rope(w.dk, T, KV, true)
		clear(w.da[:T*D])
		matmulBack(w.da, G.wq, w.dq, A.a, P.wq, T, D, D)
		matmulBack(w.da, G.wk, w.dk, A.a, P.wk, T, D, KV)
		matmulBack(w.da, G.wv, w.dv, A.a, P.wv, T, D, KV)
		copy(dx[:T*D], w.dx2[:T*D])
		rmsnormBack(dx, G.an, w.da, A.xin, P.an, A.r1, T, D)
	}
	for t := 0; t < T; t++ {
		axpy(1, dx[t*D:(t+1)*D], g.emb[ex.Tokens[t]*D:(ex.Tokens[t]+1)*D])
	}
	return loss
}
