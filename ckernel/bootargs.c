// bootargs.c: finding key=value words in the kernel command line.
#include "bootargs.h"
#include "lib.h"

const char *bootarg(const char *s, const char *key, char *buf, size_t n) {
	size_t klen = strlen(key);
	while (*s) {
		while (*s == ' ')
			s++;
		const char *word = s;
		while (*s && *s != ' ')
			s++;
		if (strncmp(word, key, klen) != 0 || (word[klen] != '=' && word + klen != s))
			continue;
		const char *v = word[klen] == '=' ? word + klen + 1 : s;
		size_t len = (size_t)(s - v);
		if (len >= n)
			len = n - 1;
		memcpy(buf, v, len);
		buf[len] = 0;
		return buf;
	}
	return NULL;
}
