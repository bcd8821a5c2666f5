/*
 * forward.c: a plain C implementation of the llama forward pass that
 * Burrow's Go engine (ai/llama) computes, used only as the yardstick of
 * ai/bench's throughput benchmark. It reads a llama2.c checkpoint, version
 * 0 (float32) or version 2 (Q8_0 int8), runs greedy decoding from token 1
 * for N positions, and prints the tokens and the time the loop took.
 *
 * Build: gcc -O3 -o forward forward.c -lm
 * Usage: forward CHECKPOINT N [REPS]
 * (REPS runs of N positions each, timed together)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	int dim, hidden, layers, heads, kv_heads, vocab, seq_len;
} Config;

/* A matrix is float (f != NULL) or int8 groups (q, s). */
typedef struct {
	float *f;
	int8_t *q;
	float *s;
} Mat;

typedef struct {
	Config c;
	int gs; /* group size for int8, 0 for float */
	float *emb_f; /* dequantized embedding */
	Mat emb, wcls;
	float *rms_att, *rms_ffn, *rms_final;
	Mat *wq, *wk, *wv, *wo, *w1, *w2, *w3;
} Model;

static char *data, *cur;
static long size;

static void *take(long n)
{
	if (cur + n > data + size) {
		fprintf(stderr, "forward: checkpoint truncated\n");
		exit(1);
	}
	void *p = cur;
	cur += n;
	return p;
}

static Mat takemat(int gs, long n)
{
	Mat m = {0};
	if (gs == 0) {
		m.f = take(4 * n);
	} else {
		m.q = take(n);
		m.s = take(4 * (n / gs));
	}
	return m;
}

static void load(Model *m, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(size);
	if (fread(data, 1, size, f) != (size_t)size) {
		perror("read");
		exit(1);
	}
	fclose(f);
	cur = data;
	int shared = 1;
	if (*(uint32_t *)data == 0x616b3432) {
		int version = *(int *)(data + 4);
		if (version != 2) {
			fprintf(stderr, "forward: only versions 0 and 2\n");
			exit(1);
		}
		memcpy(&m->c, data + 8, sizeof(Config));
		shared = data[36];
		memcpy(&m->gs, data + 37, 4);
		cur = data + 256;
	} else {
		memcpy(&m->c, data, sizeof(Config));
		cur = data + sizeof(Config);
		m->gs = 0;
		if (m->c.vocab < 0) {
			shared = 0;
			m->c.vocab = -m->c.vocab;
		}
	}
	Config *c = &m->c;
	int L = c->layers, D = c->dim, H = c->hidden, hs = D / c->heads, KV = c->kv_heads * hs;
	m->wq = calloc(L, sizeof(Mat));
	m->wk = calloc(L, sizeof(Mat));
	m->wv = calloc(L, sizeof(Mat));
	m->wo = calloc(L, sizeof(Mat));
	m->w1 = calloc(L, sizeof(Mat));
	m->w2 = calloc(L, sizeof(Mat));
	m->w3 = calloc(L, sizeof(Mat));
	if (m->gs == 0) { /* version 0 order */
		m->emb = takemat(0, (long)c->vocab * D);
		m->rms_att = take(4L * L * D);
		for (int l = 0; l < L; l++) m->wq[l] = takemat(0, (long)D * D);
		for (int l = 0; l < L; l++) m->wk[l] = takemat(0, (long)KV * D);
		for (int l = 0; l < L; l++) m->wv[l] = takemat(0, (long)KV * D);
		for (int l = 0; l < L; l++) m->wo[l] = takemat(0, (long)D * D);
		m->rms_ffn = take(4L * L * D);
		for (int l = 0; l < L; l++) m->w1[l] = takemat(0, (long)H * D);
		for (int l = 0; l < L; l++) m->w2[l] = takemat(0, (long)D * H);
		for (int l = 0; l < L; l++) m->w3[l] = takemat(0, (long)H * D);
		m->rms_final = take(4L * D);
		take(4L * c->seq_len * hs); /* unused RoPE tables */
		m->wcls = shared ? m->emb : takemat(0, (long)c->vocab * D);
		m->emb_f = m->emb.f;
		return;
	}
	/* version 2 order: norms, then int8 matrices grouped by kind */
	int gs = m->gs;
	m->rms_att = take(4L * L * D);
	m->rms_ffn = take(4L * L * D);
	m->rms_final = take(4L * D);
	m->emb = takemat(gs, (long)c->vocab * D);
	for (int l = 0; l < L; l++) m->wq[l] = takemat(gs, (long)D * D);
	for (int l = 0; l < L; l++) m->wk[l] = takemat(gs, (long)KV * D);
	for (int l = 0; l < L; l++) m->wv[l] = takemat(gs, (long)KV * D);
	for (int l = 0; l < L; l++) m->wo[l] = takemat(gs, (long)D * D);
	for (int l = 0; l < L; l++) m->w1[l] = takemat(gs, (long)H * D);
	for (int l = 0; l < L; l++) m->w2[l] = takemat(gs, (long)D * H);
	for (int l = 0; l < L; l++) m->w3[l] = takemat(gs, (long)H * D);
	m->wcls = shared ? m->emb : takemat(gs, (long)c->vocab * D);
	m->emb_f = malloc(4L * c->vocab * D);
	for (long i = 0; i < (long)c->vocab * D; i++)
		m->emb_f[i] = m->emb.q[i] * m->emb.s[i / gs];
}

/* Scratch for the quantized activation. */
static int8_t *xq;
static float *xs;

static void matvec(float *out, const float *x, Mat w, int n, int d, int gs)
{
	if (gs == 0) {
		for (int i = 0; i < d; i++) {
			const float *row = w.f + (long)i * n;
			float s = 0;
			for (int j = 0; j < n; j++) s += row[j] * x[j];
			out[i] = s;
		}
		return;
	}
	for (int g = 0; g < n / gs; g++) {
		float amax = 0;
		for (int j = 0; j < gs; j++) {
			float a = fabsf(x[g * gs + j]);
			if (a > amax) amax = a;
		}
		float scale = amax / 127.0f;
		xs[g] = scale;
		for (int j = 0; j < gs; j++)
			xq[g * gs + j] = scale == 0 ? 0 : (int8_t)roundf(x[g * gs + j] / scale);
	}
	for (int i = 0; i < d; i++) {
		const int8_t *row = w.q + (long)i * n;
		const float *rs = w.s + (long)i * n / gs;
		float v = 0;
		for (int g = 0; g < n / gs; g++) {
			int32_t iv = 0;
			for (int j = 0; j < gs; j++) iv += (int32_t)row[g * gs + j] * (int32_t)xq[g * gs + j];
			v += (float)iv * rs[g] * xs[g];
		}
		out[i] = v;
	}
}

static void rmsnorm(float *o, const float *x, const float *w, int n)
{
	float ss = 0;
	for (int i = 0; i < n; i++) ss += x[i] * x[i];
	ss = 1.0f / sqrtf(ss / n + 1e-5f);
	for (int i = 0; i < n; i++) o[i] = w[i] * (ss * x[i]);
}

static void softmax(float *x, int n)
{
	float mx = x[0], sum = 0;
	for (int i = 1; i < n; i++) if (x[i] > mx) mx = x[i];
	for (int i = 0; i < n; i++) { x[i] = expf(x[i] - mx); sum += x[i]; }
	for (int i = 0; i < n; i++) x[i] /= sum;
}

static void rope(float *v, int n, int pos, int hs)
{
	for (int i = 0; i < n; i += 2) {
		float freq = 1.0f / powf(10000.0f, (float)(i % hs) / (float)hs);
		float a = pos * freq, c = cosf(a), s = sinf(a);
		float v0 = v[i], v1 = v[i + 1];
		v[i] = v0 * c - v1 * s;
		v[i + 1] = v0 * s + v1 * c;
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: forward CHECKPOINT N [REPS]\n");
		return 2;
	}
	Model m;
	load(&m, argv[1]);
	Config c = m.c;
	int N = atoi(argv[2]), reps = argc == 4 ? atoi(argv[3]) : 1;
	int D = c.dim, H = c.hidden, hs = D / c.heads, KV = c.kv_heads * hs, gs = m.gs;
	int kvmul = c.heads / c.kv_heads;
	if (N > c.seq_len) N = c.seq_len;
	float *x = calloc(D, 4), *xb = calloc(D, 4), *xb2 = calloc(D, 4), *q = calloc(D, 4);
	float *hb = calloc(H, 4), *hb2 = calloc(H, 4), *att = calloc(c.seq_len, 4);
	float *logits = calloc(c.vocab, 4);
	float *kc = calloc((long)c.layers * c.seq_len * KV, 4), *vc = calloc((long)c.layers * c.seq_len * KV, 4);
	xq = calloc(H > D ? H : D, 1);
	xs = calloc(H > D ? H : D, 4);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int r = 0; r < reps; r++) {
	int tok = 1;
	for (int pos = 0; pos < N; pos++) {
		memcpy(x, m.emb_f + (long)tok * D, 4L * D);
		for (int l = 0; l < c.layers; l++) {
			rmsnorm(xb, x, m.rms_att + l * D, D);
			long off = ((long)l * c.seq_len + pos) * KV;
			float *k = kc + off, *v = vc + off;
			matvec(q, xb, m.wq[l], D, D, gs);
			matvec(k, xb, m.wk[l], D, KV, gs);
			matvec(v, xb, m.wv[l], D, KV, gs);
			rope(q, D, pos, hs);
			rope(k, KV, pos, hs);
			for (int h = 0; h < c.heads; h++) {
				float *qh = q + h * hs, *o = xb + h * hs;
				int kh = (h / kvmul) * hs;
				for (int t = 0; t <= pos; t++) {
					float *kt = kc + ((long)l * c.seq_len + t) * KV + kh, s = 0;
					for (int i = 0; i < hs; i++) s += qh[i] * kt[i];
					att[t] = s / sqrtf(hs);
				}
				softmax(att, pos + 1);
				memset(o, 0, 4L * hs);
				for (int t = 0; t <= pos; t++) {
					float *vt = vc + ((long)l * c.seq_len + t) * KV + kh;
					for (int i = 0; i < hs; i++) o[i] += att[t] * vt[i];
				}
			}
			matvec(xb2, xb, m.wo[l], D, D, gs);
			for (int i = 0; i < D; i++) x[i] += xb2[i];
			rmsnorm(xb, x, m.rms_ffn + l * D, D);
			matvec(hb, xb, m.w1[l], D, H, gs);
			matvec(hb2, xb, m.w3[l], D, H, gs);
			for (int i = 0; i < H; i++) hb[i] = hb[i] / (1.0f + expf(-hb[i])) * hb2[i];
			matvec(xb, hb, m.w2[l], H, D, gs);
			for (int i = 0; i < D; i++) x[i] += xb[i];
		}
		rmsnorm(x, x, m.rms_final, D);
		matvec(logits, x, m.wcls, D, c.vocab, gs);
		int best = 0;
		for (int i = 1; i < c.vocab; i++) if (logits[i] > logits[best]) best = i;
		if (r == 0) printf("%d ", best);
		tok = best;
	}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("\nseconds %.9f\n", (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec));
	return 0;
}
