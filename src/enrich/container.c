/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "container.h"

#define HEX_LEN 64
#define UID_LEN 36	/* 8-4-4-4-12 */
#define UID_HEX 32	/* a static pod's UID: an md5 sum */
#define LXC_PAYLOAD "lxc.payload."	/* LXC 4: lxc.payload.<name> */

enum rank {
	RANK_NONE,
	RANK_POD,	/* in a pod's cgroup, but in none of its containers */
	RANK_CONTAINER,
};

struct hit {
	enum rank rank;
	const char *runtime;
	const char *id;
	size_t len;
	int uid;	/* a pod UID: '_' reads as '-' */
};

struct elem {
	const char *p;
	size_t n;
};

struct scan {
	struct hit cur;		/* deepest match so far */
	struct hit outer;	/* cur before the pod match, for conmon */
	int kube;		/* below a kubepods element */
	int trusted;		/* below a container or kubepods the runtime made */
	int rootless;		/* a rootless container matched: nothing deeper */
	int after_docker;	/* the previous element was "docker", at the top */
	int after_lxc;		/* ... was "lxc" or "lxc.payload", at the top */
	unsigned depth;		/* elements before this one (leading ".." aside) */
	struct elem top[2];	/* the first two elements */
	struct elem last[3];	/* the last three, the latest first */
};

/* Where a runtime's scope may sit outside a container or pod. */
enum where {
	AT_SYSTEM = 1,		/* /, /system.slice */
	AT_MACHINE = 2,		/* /, /machine.slice[/machine-libpod_pod_*.slice] */
	AT_LIBPOD = 4,		/* /libpod_parent[/<pod>] */
	AT_USER = 8,		/* rootless: user@UID.service/user.slice/ */
};

/* Runtime scopes: <prefix><hex>.scope; runtime NULL for a monitor. */
static const struct scope {
	const char *prefix;
	const char *runtime;
	const char *rootless;	/* its runtime when a user's own */
	int bare;		/* ".scope" optional (a cgroupfs layout) */
	unsigned where;
} scopes[] = {
	{ "docker-", "docker", "docker-rootless", 0, AT_SYSTEM | AT_USER },
	{ "cri-containerd-", "containerd", NULL, 0, AT_SYSTEM },
	{ "nerdctl-", "containerd", "containerd-rootless", 0,
	  AT_SYSTEM | AT_USER },
	{ "crio-conmon-", NULL, NULL, 1, 0 },
	{ "crio-", "cri-o", NULL, 1, AT_SYSTEM | AT_MACHINE },
	{ "libpod-conmon-", NULL, NULL, 1, 0 },
	{ "libpod-", "podman", "podman-rootless", 1,
	  AT_MACHINE | AT_LIBPOD | AT_USER },
};

static int is_elem(const char *p, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

static int has_prefix(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p, s, k) == 0;
}

static int has_suffix(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p + n - k, s, k) == 0;
}

static int is_hex(const char *p, size_t n)
{
	while (n--) {
		char c = *p++;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}

static int is_decimal(const char *p, size_t n)
{
	if (n == 0)
		return 0;
	while (n--) {
		char c = *p++;

		if (c < '0' || c > '9')
			return 0;
	}
	return 1;
}

static int is_hex64(const char *p, size_t n)
{
	return n == HEX_LEN && is_hex(p, n);
}

static int is_name(const char *p, size_t n)
{
	if (n == 0 || n > SW_CONTAINER_ID_MAX)
		return 0;
	while (n--) {
		unsigned char c = (unsigned char)*p++;

		if (c <= ' ' || c >= 0x7f || c == '/')
			return 0;
	}
	return 1;
}

/* 8-4-4-4-12 hex digits joined by sep, or 32 hex digits. */
static int is_uid(const char *p, size_t n, char sep)
{
	size_t i;

	if (n == UID_HEX)
		return is_hex(p, n);
	if (n != UID_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? p[i] != sep : !is_hex(p + i, 1))
			return 0;
	}
	return 1;
}

static int elem_is(const struct elem *e, const char *s)
{
	return e->p && is_elem(e->p, e->n, s);
}

/* user@<digits>.service: the root of a user's delegated subtree. */
static int is_user_service(const struct elem *e)
{
	size_t k = strlen("user@"), t = strlen(".service");

	return e->p && e->n > k + t && has_prefix(e->p, e->n, "user@") &&
	       has_suffix(e->p, e->n, ".service") &&
	       is_decimal(e->p + k, e->n - k - t);
}

/* Directly below user@UID.service/user.slice[/user-libpod_pod_*.slice]. */
static int at_user(const struct scan *s)
{
	const struct elem *l = s->last;

	if (elem_is(&l[0], "user.slice"))
		return is_user_service(&l[1]);
	return l[0].p && has_prefix(l[0].p, l[0].n, "user-libpod_pod_") &&
	       has_suffix(l[0].p, l[0].n, ".slice") &&
	       elem_is(&l[1], "user.slice") && is_user_service(&l[2]);
}

/* Whether the elements above are a parent the runtime itself uses. */
static int placed(const struct scan *s, unsigned where)
{
	const struct elem *t = s->top;

	if (s->depth == 0)
		return (where & (AT_SYSTEM | AT_MACHINE)) != 0;
	if ((where & AT_SYSTEM) && s->depth == 1 && elem_is(&t[0], "system.slice"))
		return 1;
	if ((where & AT_MACHINE) && elem_is(&t[0], "machine.slice") &&
	    (s->depth == 1 ||
	     (s->depth == 2 && has_prefix(t[1].p, t[1].n, "machine-libpod_pod_") &&
	      has_suffix(t[1].p, t[1].n, ".slice"))))
		return 1;
	if ((where & AT_LIBPOD) && elem_is(&t[0], "libpod_parent") && s->depth <= 2)
		return 1;
	return 0;
}

static void set_hit(struct scan *s, enum rank rank, const char *runtime,
		    const char *id, size_t len)
{
	if (rank == RANK_POD)
		s->outer = s->cur;
	s->cur.rank = rank;
	s->cur.runtime = runtime;
	s->cur.id = id;
	s->cur.len = len;
	s->cur.uid = rank == RANK_POD;
	s->trusted = 1;
}

/* A monitor is outside what it monitors, and so outside its pod. */
static void monitor(struct scan *s)
{
	if (s->cur.rank == RANK_POD)
		s->cur = s->outer;
}

/* <prefix><hex> with ".scope" after it, optional if sc->bare. */
static int scope_hex(const struct scope *sc, const char *p, size_t n)
{
	size_t k = strlen(sc->prefix);

	if (!has_prefix(p, n, sc->prefix))
		return 0;
	p += k;
	n -= k;
	if (has_suffix(p, n, ".scope"))
		n -= strlen(".scope");
	else if (!sc->bare)
		return 0;
	return is_hex64(p, n);
}

static int match_scope(struct scan *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		const struct scope *sc = &scopes[i];

		if (!scope_hex(sc, p, n))
			continue;
		if (!sc->runtime) {
			monitor(s);
		} else if (s->trusted || placed(s, sc->where)) {
			set_hit(s, RANK_CONTAINER, sc->runtime,
				p + strlen(sc->prefix), HEX_LEN);
		} else if ((sc->where & AT_USER) && at_user(s)) {
			set_hit(s, RANK_CONTAINER, sc->rootless,
				p + strlen(sc->prefix), HEX_LEN);
			s->rootless = 1;
		}
		return 1;
	}
	return 0;
}

/* An element made of its parent's name too: ...:cri-containerd:<hex>. */
static int match_colon(struct scan *s, const char *p, size_t n)
{
	static const char tag[] = ":cri-containerd:";
	size_t k = sizeof(tag) - 1;

	if (n < k + HEX_LEN || memcmp(p + n - HEX_LEN - k, tag, k) != 0 ||
	    !is_hex64(p + n - HEX_LEN, HEX_LEN))
		return 0;
	if (!s->trusted && s->depth != 0 &&
	    !(s->depth == 2 && elem_is(&s->top[0], "system.slice") &&
	      elem_is(&s->top[1], "containerd.service")))
		return 1;
	set_hit(s, RANK_CONTAINER, "containerd", p + n - HEX_LEN, HEX_LEN);
	return 1;
}

/* pod<uid> (cgroupfs) or kubepods[-qos]-pod<uid>.slice (systemd). */
static int match_pod(struct scan *s, const char *p, size_t n)
{
	static const size_t lens[] = { UID_LEN, UID_HEX };
	size_t i, tail;

	if (has_prefix(p, n, "pod") && is_uid(p + 3, n - 3, '-')) {
		set_hit(s, RANK_POD, "kubepods", p + 3, n - 3);
		return 1;
	}
	if (!has_suffix(p, n, ".slice"))
		return 0;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		tail = strlen("-pod") + lens[i] + strlen(".slice");
		if (n < tail || memcmp(p + n - tail, "-pod", 4) != 0 ||
		    !is_uid(p + n - tail + 4, lens[i], '_'))
			continue;
		set_hit(s, RANK_POD, "kubepods", p + n - tail + 4, lens[i]);
		return 1;
	}
	return 0;
}

/* kubepods[.slice] at the top or below /kubelet, *-kubepods.slice below
 * /kubelet.slice; anywhere inside a container (kind nests a kubelet). */
static int kube_placed(const struct scan *s, const char *p, size_t n)
{
	if (s->trusted)
		return 1;
	if (is_elem(p, n, "kubepods") || is_elem(p, n, "kubepods.slice"))
		return s->depth == 0 ||
		       (s->depth == 1 && elem_is(&s->top[0], "kubelet"));
	return s->depth == 1 && elem_is(&s->top[0], "kubelet.slice");
}

static int match_kube(struct scan *s, const char *p, size_t n)
{
	if (is_elem(p, n, "kubepods") || is_elem(p, n, "kubepods.slice") ||
	    has_suffix(p, n, "-kubepods.slice")) {
		if (kube_placed(s, p, n)) {
			s->kube = 1;
			s->trusted = 1;
		}
		return 1;
	}
	if (!s->kube)
		return 0;
	if (is_hex64(p, n)) {
		set_hit(s, RANK_CONTAINER, "kubepods", p, n);
		return 1;
	}
	return match_pod(s, p, n);
}

/* The elements seen so far, for placed() and at_user(). */
static void remember(struct scan *s, const char *p, size_t n)
{
	if (s->depth < 2) {
		s->top[s->depth].p = p;
		s->top[s->depth].n = n;
	}
	s->last[2] = s->last[1];
	s->last[1] = s->last[0];
	s->last[0].p = p;
	s->last[0].n = n;
	s->depth++;
}

static void match_elem(struct scan *s, const char *p, size_t n)
{
	size_t k = strlen(LXC_PAYLOAD);
	int top = s->trusted || s->depth == 0;

	if (s->rootless)
		return;		/* a user's own subtree: nothing more counts */
	if (s->after_docker && is_hex64(p, n))
		set_hit(s, RANK_CONTAINER, "docker", p, n);
	else if (s->after_lxc && is_name(p, n))
		set_hit(s, RANK_CONTAINER, "lxc", p, n);
	else if (has_prefix(p, n, LXC_PAYLOAD) && is_name(p + k, n - k)) {
		if (top)
			set_hit(s, RANK_CONTAINER, "lxc", p + k, n - k);
	} else if (!match_scope(s, p, n) && !match_colon(s, p, n))
		match_kube(s, p, n);
	s->after_docker = top && is_elem(p, n, "docker");
	s->after_lxc = top && (is_elem(p, n, "lxc") || is_elem(p, n, "lxc.payload"));
	remember(s, p, n);
}

static struct hit scan_path(const char *p, const char *end)
{
	struct scan s;

	memset(&s, 0, sizeof(s));
	p++;			/* the leading '/' (line_path() saw it) */
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n;

		if (!slash)
			slash = end;
		n = (size_t)(slash - p);
		/* Above the reader's cgroup namespace: the host's own parents. */
		if (!(s.depth == 0 && is_elem(p, n, "..")))
			match_elem(&s, p, n);
		p = slash + 1;
	}
	return s.cur;
}

/* The path of a "hierarchy-ID:controller-list:/path" line, or NULL. */
static const char *line_path(const char *p, const char *eol)
{
	const char *s = p;

	while (s < eol && *s >= '0' && *s <= '9')
		s++;
	if (s == p || s >= eol || *s != ':')
		return NULL;
	s++;
	s = memchr(s, ':', (size_t)(eol - s));
	if (!s || eol - s < 2 || s[1] != '/')
		return NULL;
	return s + 1;
}

/* A systemd unit: a launcher's slice, service or session, no container. */
static int is_unit(const char *p, size_t n)
{
	static const char *const suffixes[] = {
		".slice", ".service", ".scope", ".socket", ".mount", ".swap",
	};
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (has_suffix(p, n, suffixes[i]))
			return 1;
	return 0;
}

/* What the path (after its '/') calls its group: 1 when it names one. */
static int path_name(const char *p, const char *end, struct sw_container *ret)
{
	static const char machine[] = "machine-", scope[] = ".scope";
	const size_t mk = sizeof(machine) - 1, sk = sizeof(scope) - 1;
	const char *best = NULL;
	size_t best_n = 0;
	int top = 1;

	p++;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n;

		if (!slash)
			slash = end;
		n = (size_t)(slash - p);
		if (!(top && is_elem(p, n, ".."))) {
			top = 0;
			if (n > mk + sk && has_prefix(p, n, machine) &&
			    has_suffix(p, n, scope)) {
				best = p + mk;
				best_n = n - mk - sk;
				break;		/* below it: the machine's own */
			}
			if (n && !is_unit(p, n)) {
				best = p;
				best_n = n;
			}
		}
		p = slash + 1;
	}
	if (!best || !is_name(best, best_n))
		return 0;
	memcpy(ret->name, best, best_n);
	ret->name[best_n] = '\0';
	return 1;
}

static void copy_id(struct sw_container *ret, const struct hit *h)
{
	size_t i;

	memcpy(ret->id, h->id, h->len);
	ret->id[h->len] = '\0';
	for (i = 0; h->uid && i < h->len; i++)
		if (ret->id[i] == '_')
			ret->id[i] = '-';
	ret->runtime = h->runtime;
}

int sw_container_parse(const char *buf, size_t len, struct sw_container *ret)
{
	const char *p = buf, *end, *path;
	struct hit best = { .rank = RANK_NONE }, h;
	int named = 0;		/* 2: the v2 line said, 1: a v1 line named it */

	memset(ret, 0, sizeof(*ret));
	if (len == 0)
		return 0;
	end = buf + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		path = line_path(p, eol);
		if (path) {
			int v2 = path - p == 3 && p[0] == '0';

			h = scan_path(path, eol);
			if (h.rank > best.rank)
				best = h;
			if (v2) {
				ret->name[0] = '\0';
				path_name(path, eol, ret);
				named = 2;
			} else if (!named && path_name(path, eol, ret)) {
				named = 1;
			}
		}
		p = eol + 1;
	}
	if (best.rank == RANK_NONE)
		return 0;
	copy_id(ret, &best);
	return 1;
}

int sw_container_by_ns(struct sw_container *c, uint64_t mntns, uint64_t pidns,
		       uint64_t host_mntns, uint64_t host_pidns)
{
	if (!mntns || !pidns || !host_mntns || !host_pidns ||
	    mntns == host_mntns || pidns == host_pidns)
		return 0;
	if (c->name[0])
		memcpy(c->id, c->name, sizeof(c->id));
	else
		snprintf(c->id, sizeof(c->id), "pidns-%" PRIu64, pidns);
	c->runtime = "unknown";
	return 1;
}
