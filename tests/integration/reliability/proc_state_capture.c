/* SPDX-License-Identifier: MIT */
/*
 * proc_state_capture.c — an LD_PRELOAD module for tests: when the process
 * exits, append what it made of itself to the file named by
 * $LPSA_PROC_CAPTURE, as one line
 *   "dumpable=D core_soft=S core_hard=H umask=OOO"
 * (prctl(PR_GET_DUMPABLE), getrlimit(RLIMIT_CORE) with -1 for unlimited,
 * the umask in octal). Only the process itself can ask for its dumpable
 * flag, hence a module inside it rather than a look at /proc.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((destructor)) static void capture(void) {
  const char *path = getenv("LPSA_PROC_CAPTURE");
  if (!path)
    return;
  struct rlimit rl = {0, 0};
  getrlimit(RLIMIT_CORE, &rl);
  mode_t mask = umask(0);
  umask(mask);
  char line[256];
  int n = snprintf(line, sizeof line,
                   "dumpable=%d core_soft=%lld core_hard=%lld umask=%03o\n",
                   prctl(PR_GET_DUMPABLE, 0, 0, 0, 0),
                   rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
                   rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max,
                   (unsigned)mask);
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  if (n > 0)
    (void)!write(fd, line, (size_t)n);
  close(fd);
}
