/* SPDX-License-Identifier: MIT */
/*
 * A multi-threaded parent that exits before its child, as runc or any Go
 * program does: starts 4 threads, forks a child that runs sleep SECS,
 * waits for its exec, prints "PARENT CHILD" and exits the way MODE says,
 * its threads still running.  For the orphan tests.
 *
 *   threaded MODE FORKER [SECS]
 *   MODE   main:   the main thread calls exit()
 *          thread: a thread other than the main one calls exit()
 *          leader: the main thread ends first (pthread_exit), a thread
 *                  calls exit() a moment later: the last thread to go is
 *                  not the leader
 *   FORKER main or thread: which thread forks the child
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static const char *mode, *secs;
static pthread_barrier_t ready;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int go;			/* 1: the child runs; 2: the exit is due */
static pid_t child;

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

/* The child, once it runs sleep: its end of a close-on-exec pipe is shut. */
static pid_t start_child(void)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		perror("threaded: pipe");
		_exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("threaded: fork");
		_exit(1);
	}
	if (pid == 0) {
		execl("/bin/sleep", "sleep", secs, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (read(fds[0], &c, 1) < 0)
		;
	close(fds[0]);
	return pid;
}

static void wait_for(int stage)
{
	pthread_mutex_lock(&mu);
	while (go < stage)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
}

static void advance(int stage)
{
	pthread_mutex_lock(&mu);
	go = stage;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	long n = (long)arg;

	pthread_barrier_wait(&ready);
	if (n == 1 && child == 0 && go == 0) {
		child = start_child();
		advance(1);
	}
	wait_for(2);
	if (n == 2 && strcmp(mode, "main") != 0) {
		if (strcmp(mode, "leader") == 0)
			nap(200);	/* the leader is gone by now */
		exit(0);
	}
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[NTHREADS];
	int by_thread;

	if (argc < 3) {
		fprintf(stderr, "usage: threaded main|thread|leader main|thread [SECS]\n");
		return 2;
	}
	mode = argv[1];
	by_thread = strcmp(argv[2], "thread") == 0;
	secs = argc > 3 ? argv[3] : "3";
	/* Only thread 1 forks, and only when asked to. */
	if (!by_thread)
		go = -1;
	pthread_barrier_init(&ready, NULL, NTHREADS + 1);
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(i + 1)) != 0) {
			fprintf(stderr, "threaded: cannot start a thread\n");
			return 1;
		}
	if (!by_thread) {
		child = start_child();
		go = 0;
	}
	pthread_barrier_wait(&ready);
	if (by_thread)
		wait_for(1);
	printf("%d %d\n", (int)getpid(), (int)child);
	fflush(stdout);
	advance(2);
	if (strcmp(mode, "main") == 0)
		exit(0);
	if (strcmp(mode, "leader") == 0)
		pthread_exit(NULL);
	for (;;)
		pause();
}
