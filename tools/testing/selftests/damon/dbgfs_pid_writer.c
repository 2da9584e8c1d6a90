// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of dbgfs_pid_refs.sh: ROUNDS times, a new process writes its own
 * pid to FILE (a DAMON debugfs target_ids file) and exits.  With "ns", that
 * process is pid 1 of a new pid namespace and writes "1".  If a namespace
 * cannot be made, the round is retried once after a second, since freed
 * namespaces may wait for an RCU grace period; then the helper fails.
 *
 * Usage: dbgfs_pid_writer FILE ROUNDS [ns]
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *path;

static int write_pid(int pid)
{
	char buf[32];
	int fd, len, ret;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return 1;
	len = snprintf(buf, sizeof(buf), "%d", pid);
	ret = write(fd, buf, len) == len ? 0 : 1;
	close(fd);
	return ret;
}

static int wait_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

/* The body of the process that writes, or makes the one that writes. */
static int writer(int in_ns)
{
	pid_t init;

	if (!in_ns)
		return write_pid(getpid());
	if (unshare(CLONE_NEWPID))
		return 2;
	init = fork();
	if (init < 0)
		return 1;
	if (init == 0)
		_exit(write_pid(1));
	return wait_status(init);
}

static int one_round(int in_ns)
{
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(writer(in_ns));
	return wait_status(pid);
}

int main(int argc, char *argv[])
{
	int rounds, in_ns, i, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: %s FILE ROUNDS [ns]\n", argv[0]);
		return 1;
	}
	path = argv[1];
	rounds = atoi(argv[2]);
	in_ns = argc > 3 && !strcmp(argv[3], "ns");
	for (i = 0; i < rounds; i++) {
		ret = one_round(in_ns);
		if (ret == 2) {
			sleep(1);
			ret = one_round(in_ns);
		}
		if (ret) {
			fprintf(stderr, "round %d: %s\n", i, ret == 2 ?
				"no new pid namespace even after a second" :
				"writing the pid failed");
			return 1;
		}
	}
	return 0;
}
