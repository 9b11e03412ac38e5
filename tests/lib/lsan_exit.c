// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Linked into build/lagbpf-san only, with -Wl,--wrap=_exit: the controller
 * daemon ends with _exit(), which skips LeakSanitizer's check at exit. Run
 * the check there, so that what the daemon loses is reported too.
 */
#include <sanitizer/lsan_interface.h>

void __real__exit(int status) __attribute__((noreturn));
void __wrap__exit(int status) __attribute__((noreturn));

void __wrap__exit(int status)
{
	__lsan_do_leak_check();
	__real__exit(status);
}
