#include "CSandbox.h"

#include <sys/wait.h>

int csb_wifexited(int status) { return WIFEXITED(status); }
int csb_wexitstatus(int status) { return WEXITSTATUS(status); }
int csb_wifsignaled(int status) { return WIFSIGNALED(status); }
int csb_wtermsig(int status) { return WTERMSIG(status); }
